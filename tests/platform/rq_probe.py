"""A task for the RQ worker test (tests/platform/test_rq_worker.py): it records, in Redis,
which worker ran which call, so the test can count runs per call."""

import redis
from django.conf import settings
from django_tasks import TaskContext, task

RUNS_KEY = "entraide:test:rq_probe:runs"


@task(takes_context=True)
def record_run(context: TaskContext, n: int) -> int:
    connection = redis.Redis.from_url(settings.RQ_QUEUES["default"]["URL"])
    from rq import get_current_job

    job = get_current_job()
    worker = job.worker_name if job else "none"
    connection.rpush(RUNS_KEY, f"{n}:{worker}:{context.task_result.id}")
    return n * 2
