"""Entraide settings, read from environment variables.

Local use needs nothing: SQLite in WAL mode under ``var/`` and DEBUG on. Production sets
``ENTRAIDE_ENV=production``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL``; the
result passes ``manage.py check --deploy``.
"""

import os
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Importing the module also registers its deployment checks (``check --deploy``).
from entraide.platform.checks import SECRET_KEY_HINT, secret_key_weakness

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ENTRAIDE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("ENTRAIDE_ENV", "local") == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)

if PRODUCTION:
    SECRET_KEY = os.environ["SECRET_KEY"]
    if weakness := secret_key_weakness(SECRET_KEY):
        raise ImproperlyConfigured(
            f"SECRET_KEY is too weak for production: {weakness}. {SECRET_KEY_HINT}"
        )
else:
    SECRET_KEY = os.environ.get(
        "SECRET_KEY", "local-only-insecure-key-never-use-in-production-0123"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "entraide.platform",
    "entraide.territory",
    "entraide.needs",
    "entraide.people",
    "entraide.directory",
    "entraide.matching",
    "entraide.channels",
    "entraide.insight",
    "entraide.care",
    "entraide.crisis",
    "entraide.coordination",
    "entraide.missions",
    "entraide.recognition",
    "entraide.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "entraide.platform.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "entraide.platform.middleware.TerritoryLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "entraide.platform.middleware.MfaRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "entraide.platform.middleware.NoStoreForPrivatePagesMiddleware",
    "entraide.platform.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "entraide.urls"
WSGI_APPLICATION = "entraide.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "entraide" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "entraide.platform.context_processors.site",
                "entraide.platform.context_processors.staff_menu",
            ],
        },
    },
]

# Database: SQLite in WAL mode by default, PostgreSQL through DATABASE_URL.
DEFAULT_SQLITE_URL = f"sqlite:///{VAR_DIR / 'entraide.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_SQLITE_URL),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The database holds addresses: readable by the platform's user only. SQLite gives
    # its -wal and -shm files the permissions of the database file.
    SQLITE_PATH = Path(DATABASES["default"]["NAME"])
    SQLITE_PATH.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    SQLITE_PATH.parent.chmod(0o700)
    SQLITE_PATH.touch(mode=0o600, exist_ok=True)
    for sqlite_file in (SQLITE_PATH, *SQLITE_PATH.parent.glob(f"{SQLITE_PATH.name}-*")):
        sqlite_file.chmod(0o600)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A query that runs away answers an error quickly instead of holding a worker.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c statement_timeout={int(os.environ.get('DB_STATEMENT_TIMEOUT_MS', '15000'))}"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every web process (rate limits): Redis when REDIS_URL is set,
# otherwise a table in the database (`manage.py createcachetable`).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "entraide_cache",
        }
    }

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes, stored in the database so every web process shares it):
# locked per account + IP, per IP, and per account for networks the owner never signed
# in from, so rotating IPs cannot lock the owner out (entraide/platform/login_throttle.py);
# the same answer whether or not the account exists.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = "entraide.platform.login_throttle.login_lockout_parameters"
AXES_CLIENT_IP_CALLABLE = "entraide.platform.audit.client_ip"
AXES_LOCKOUT_TEMPLATE = "platform/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: French first.
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", _("French")),
    # Québec French: only the words that differ (entraide/locale/fr_CA), the rest from fr.
    ("fr-ca", _("Canadian French")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("ca", _("Catalan")),
    ("pt", _("Portuguese")),
]
# Django knows no "fr-ca" of its own: its name in the language switcher.
LANG_INFO.setdefault(
    "fr-ca",
    {"bidi": False, "code": "fr-ca", "name": "Canadian French", "name_local": "français (Canada)"},
)
LOCALE_PATHS = [BASE_DIR / "entraide" / "locale"]
FORMAT_MODULE_PATH = ["entraide.platform.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# The project's own stylesheet lives outside any app.
STATICFILES_DIRS = [BASE_DIR / "entraide" / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# One sign-in page for everyone; afterwards each person lands on their role's page.
LOGIN_URL = "people:login"
LOGIN_REDIRECT_URL = "platform:start"

# Coordinators, operators, partners and administrators sign in with a second factor
# (TOTP). On by default in production; off for the local demo unless asked for.
ENTRAIDE_REQUIRE_MFA = env_bool("ENTRAIDE_REQUIRE_MFA", PRODUCTION)
OTP_TOTP_ISSUER = "Entraide"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "entraide.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Entraide API",
    "DESCRIPTION": "Neighbourhood mutual aid: zones, public boards, requests and offers of help. "
    "Public responses never contain a name, phone number, e-mail or street address.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Background work: django-tasks with its database backend (docs/adr/0001-background-work.md).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "outbox", "matching"],
    }
}
# Scale-out (docs/scale-out.md): TASKS_BACKEND=django_tasks_rq.RQBackend puts the queues in
# Redis (REDIS_URL, or TASKS_REDIS_URL) and `manage.py rqworker --job-class
# django_tasks_rq.Job --with-scheduler default outbox matching` runs them, as many as needed.
if TASKS["default"]["BACKEND"].startswith("django_tasks_rq."):
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {
        name: {
            "URL": os.environ.get("TASKS_REDIS_URL")
            or os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            "DEFAULT_TIMEOUT": 300,
        }
        for name in TASKS["default"]["QUEUES"]
    }

# Product settings.
# Phone numbers (entraide/platform/phones.py): read in the territory's country unless a
# region is forced here; ENTRAIDE_PHONE_REGIONS (e.g. "CA,US") refuses other countries.
ENTRAIDE_DEFAULT_PHONE_REGION = os.environ.get("ENTRAIDE_DEFAULT_PHONE_REGION", "")
ENTRAIDE_PHONE_REGIONS = [
    code for code in os.environ.get("ENTRAIDE_PHONE_REGIONS", "").split(",") if code.strip()
]
ENTRAIDE_RETENTION_DAYS = int(os.environ.get("ENTRAIDE_RETENTION_DAYS", "180"))
ENTRAIDE_PRIVATE_LINK_DAYS = int(os.environ.get("ENTRAIDE_PRIVATE_LINK_DAYS", "90"))
ENTRAIDE_PUBLIC_GRID_METERS = max(500, int(os.environ.get("ENTRAIDE_PUBLIC_GRID_METERS", "500")))
# Addresses on the map (docs/territories.md): "auto" is the BAN for a French territory
# when the network may be called, else offline; or "ban", "nominatim", "photon", "none".
ENTRAIDE_GEOCODER = os.environ.get("ENTRAIDE_GEOCODER", "auto")
ENTRAIDE_GEOCODER_URL = os.environ.get("ENTRAIDE_GEOCODER_URL", "")
ENTRAIDE_GEOCODER_NETWORK = env_bool("ENTRAIDE_GEOCODER_NETWORK", PRODUCTION)
ENTRAIDE_GEOCODER_TIMEOUT = float(os.environ.get("ENTRAIDE_GEOCODER_TIMEOUT", "3"))
ENTRAIDE_GEOCODER_MIN_SCORE = float(os.environ.get("ENTRAIDE_GEOCODER_MIN_SCORE", "0.5"))
ENTRAIDE_GEOCODER_MAX_KM = float(os.environ.get("ENTRAIDE_GEOCODER_MAX_KM", "8"))
ENTRAIDE_GEOCODER_ATTEMPTS = int(os.environ.get("ENTRAIDE_GEOCODER_ATTEMPTS", "4"))
ENTRAIDE_GEOCODER_USER_AGENT = os.environ.get("ENTRAIDE_GEOCODER_USER_AGENT", "")
ENTRAIDE_GEOCODER_EMAIL = os.environ.get("ENTRAIDE_GEOCODER_EMAIL", "")
# The number residents call (shown on the home page and the posters).
ENTRAIDE_HOTLINE_NUMBER = os.environ.get("ENTRAIDE_HOTLINE_NUMBER", "")
ENTRAIDE_PUBLIC_BASE_URL = os.environ.get("ENTRAIDE_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
ENTRAIDE_PROPOSAL_TIMEOUT_MINUTES = int(os.environ.get("ENTRAIDE_PROPOSAL_TIMEOUT_MINUTES", "120"))
ENTRAIDE_POSTS_PER_HOUR_PER_IP = int(os.environ.get("ENTRAIDE_POSTS_PER_HOUR_PER_IP", "30"))
ENTRAIDE_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("ENTRAIDE_OUTBOX_MAX_ATTEMPTS", "8"))
ENTRAIDE_SMS_DAILY_CAP_PER_NUMBER = int(os.environ.get("ENTRAIDE_SMS_DAILY_CAP_PER_NUMBER", "10"))
# SMS go only to mobiles of these countries (entraide/platform/sms_policy.py), and SMS
# triggered by visitors (sign-up codes) are capped per connection, per number and overall.
ENTRAIDE_SMS_COUNTRIES = [  # empty: the territory's country
    code for code in os.environ.get("ENTRAIDE_SMS_COUNTRIES", "").split(",") if code.strip()
]
ENTRAIDE_ANONYMOUS_SMS_PER_HOUR_PER_IP = int(
    os.environ.get("ENTRAIDE_ANONYMOUS_SMS_PER_HOUR_PER_IP", "3")
)
ENTRAIDE_ANONYMOUS_SMS_PER_DAY_PER_NUMBER = int(
    os.environ.get("ENTRAIDE_ANONYMOUS_SMS_PER_DAY_PER_NUMBER", "3")
)
ENTRAIDE_ANONYMOUS_SMS_PER_HOUR = int(os.environ.get("ENTRAIDE_ANONYMOUS_SMS_PER_HOUR", "60"))
# Production has no default: `check --deploy` fails until a real sender is set.
ENTRAIDE_SMS_SENDER = os.environ.get(
    "ENTRAIDE_SMS_SENDER", "" if PRODUCTION else "entraide.platform.delivery.LoggingSmsSender"
)
# Telephone, SMS and hotline (docs/channels.md). The local token only signs the simulator.
ENTRAIDE_TELEPHONY_PROVIDER = os.environ.get(
    "ENTRAIDE_TELEPHONY_PROVIDER", "entraide.channels.providers.twilio.TwilioProvider"
)
ENTRAIDE_OPERATOR_NUMBER = os.environ.get("ENTRAIDE_OPERATOR_NUMBER", "")
TWILIO_AUTH_TOKEN = os.environ.get(
    "TWILIO_AUTH_TOKEN", "" if PRODUCTION else "local-simulator-token"
)
TWILIO_VOICE = os.environ.get("TWILIO_VOICE", "")
# Courtesy calls and escalations (docs/care.md).
ENTRAIDE_CARE_SLOT_MINUTES = int(os.environ.get("ENTRAIDE_CARE_SLOT_MINUTES", "30"))
ENTRAIDE_CARE_HORIZON_DAYS = int(os.environ.get("ENTRAIDE_CARE_HORIZON_DAYS", "7"))
ENTRAIDE_CARE_MISSED_CALLS_ALERT = int(os.environ.get("ENTRAIDE_CARE_MISSED_CALLS_ALERT", "3"))
ENTRAIDE_CARE_ACK_MINUTES = int(os.environ.get("ENTRAIDE_CARE_ACK_MINUTES", "15"))
ENTRAIDE_CARE_CALLER_ID = os.environ.get("ENTRAIDE_CARE_CALLER_ID", "")
ENTRAIDE_CARE_BRIDGE = os.environ.get("ENTRAIDE_CARE_BRIDGE", "entraide.care.bridge.TwilioBridge")
ENTRAIDE_CARE_TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
ENTRAIDE_BOARD_PAGE_SIZE = int(os.environ.get("ENTRAIDE_BOARD_PAGE_SIZE", "20"))
ENTRAIDE_POSTCODE_FILE = Path(
    os.environ.get(
        "ENTRAIDE_POSTCODE_FILE",
        BASE_DIR.parent / "shared" / "data" / "fr-postcodes" / "laposte_hexasmal.csv",
    )
)

# Behind a reverse proxy: trust X-Forwarded-Proto only when told to.
TRUST_PROXY_HEADERS = env_bool("TRUST_PROXY_HEADERS", False)
if TRUST_PROXY_HEADERS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is hard to undo (browsers ship the list): only when asked for.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Every sign-in is an INFO line for django-axes; lockouts stay visible as warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}
