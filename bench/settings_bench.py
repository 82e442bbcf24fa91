"""Settings for the load bench only: the project's settings plus a bare JSON endpoint as
the baseline (``bench/urls_bench.py``). Never used in production."""

from entraide.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.urls_bench"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
ENTRAIDE_POSTS_PER_HOUR_PER_IP = 0  # one client on loopback sends the whole load
