"""Scale-out on Redis (docs/scale-out.md): tasks enqueued by a process configured with
``TASKS_BACKEND=django_tasks_rq.RQBackend`` are run by real ``manage.py rqworker``
processes, and two workers sharing the queue never run the same task twice.

Every process here is a real one (the enqueuer and the workers are ``manage.py``
subprocesses on a Redis database of their own); nothing is mocked. Skipped only when
Redis does not answer on this machine outside CI; in CI (.ci/run starts Redis) it runs."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Both tests use one Redis database: never at the same time under xdist.
pytestmark = pytest.mark.xdist_group("rq_redis")

REDIS_SERVER = os.environ.get("TEST_RQ_REDIS_URL", "redis://127.0.0.1:6379")
# Each run takes a Redis database of its own among these, so that two runs on one machine
# (two checkouts, two developers) never take each other's jobs.
REDIS_DATABASES = range(15, 7, -1)
LOCK_KEY = "entraide:test:rq_lock"


def _redis(url: str):
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis must answer in CI on {url}: {error}")
        pytest.skip(f"Redis does not answer on {url} (start redis-server): {error}")
    return connection


@pytest.fixture
def redis_db():
    """A Redis database this test has to itself: empty at the start, emptied after."""
    token = uuid.uuid4().hex
    for number in REDIS_DATABASES:
        url = f"{REDIS_SERVER}/{number}"
        connection = _redis(url)
        if connection.set(LOCK_KEY, token, nx=True, ex=600):
            break
    else:
        pytest.fail("every Redis test database is taken by another run")
    for key in connection.scan_iter():
        if key != LOCK_KEY.encode():
            connection.delete(key)
    connection.url = url
    yield connection
    for key in connection.scan_iter():
        connection.delete(key)


def _env(tmp_path: Path, url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "TASKS_REDIS_URL": url,
        "DJANGO_SETTINGS_MODULE": "entraide.settings",
        "PYTHONPATH": str(ROOT),
        # The workers run no database work here: a scratch SQLite file of their own.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'rq.sqlite3'}",
    }
    env.pop("ENTRAIDE_ENV", None)
    return env


def _manage(env: dict[str, str], *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


def _enqueue(env: dict[str, str], count: int) -> list[str]:
    script = (
        "from tests.platform.rq_probe import record_run\n"
        f"for n in range({count}):\n"
        "    print('ID', record_run.enqueue(n).id)\n"
    )
    done = _manage(env, "shell", "-c", script)
    assert done.returncode == 0, done.stderr
    return [line.split()[1] for line in done.stdout.splitlines() if line.startswith("ID ")]


def _worker(env: dict[str, str], name: str, *, burst: bool = True) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "rqworker",
            "--job-class",
            "django_tasks_rq.Job",
            *(["--burst"] if burst else []),
            "--name",
            name,
            "default",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _runs(connection) -> list[tuple[int, str, str]]:
    from tests.platform.rq_probe import RUNS_KEY

    rows = [row.decode().split(":") for row in connection.lrange(RUNS_KEY, 0, -1)]
    return [(int(n), worker, task_id) for n, worker, task_id in rows]


def test_a_real_rq_worker_runs_a_queued_task_and_its_result_is_readable(redis_db, tmp_path):
    env = _env(tmp_path, redis_db.url)
    [task_id] = _enqueue(env, 1)
    assert redis_db.llen("rq:queue:default") == 1  # queued in Redis, not yet run

    name = f"solo-{uuid.uuid4().hex[:8]}"
    worker = _worker(env, name)
    output, _ = worker.communicate(timeout=120)
    assert worker.returncode == 0, output

    # Run once, by that worker (not by the process that enqueued it).
    assert _runs(redis_db) == [(0, name, task_id)]
    result = _manage(
        env,
        "shell",
        "-c",
        "from tests.platform.rq_probe import record_run\n"
        f"r = record_run.get_result({task_id!r})\n"
        "print('RESULT', r.status, r.return_value)",
    )
    assert result.returncode == 0, result.stderr
    assert "RESULT SUCCESSFUL 0" in result.stdout.splitlines()


def test_two_workers_share_the_queue_and_never_run_a_task_twice(redis_db, tmp_path):
    env = _env(tmp_path, redis_db.url)
    count = 60
    names = [f"pair-{i}-{uuid.uuid4().hex[:8]}" for i in range(2)]
    workers = [_worker(env, name, burst=False) for name in names]
    try:
        # Both workers listen on the queue before anything is enqueued.
        deadline = time.monotonic() + 60
        while {name.encode() for name in names} - {
            key.rsplit(b":", 1)[-1] for key in redis_db.keys("rq:worker:*")
        }:
            assert time.monotonic() < deadline, "the workers did not register"
            assert all(w.poll() is None for w in workers), "a worker stopped"
            time.sleep(0.2)

        task_ids = _enqueue(env, count)
        assert len(set(task_ids)) == count
        deadline = time.monotonic() + 300  # generous: the machine may be busy
        while redis_db.llen("entraide:test:rq_probe:runs") < count:
            assert time.monotonic() < deadline, "the tasks were not all run"
            time.sleep(0.2)
        time.sleep(1)  # a task run twice would show up now
    finally:
        for worker in workers:
            worker.terminate()  # SIGTERM: RQ's warm shutdown
        for worker in workers:
            worker.communicate(timeout=60)

    runs = _runs(redis_db)
    ran = sorted(n for n, _worker_name, _id in runs)
    assert ran == list(range(count)), "every task ran exactly once"
    assert sorted(task_id for _n, _worker_name, task_id in runs) == sorted(task_ids)
    by_worker = {name: sum(1 for _n, w, _id in runs if w == name) for name in names}
    assert sum(by_worker.values()) == count  # no other runner took any
    assert all(by_worker.values()), f"both workers took tasks: {by_worker}"
    assert redis_db.llen("rq:queue:default") == 0
