"""Background work of insight: keep the dashboard's rollup up to date (``rollups.py``)."""

from django_tasks import task

from .rollups import facts_catch_up, facts_reconcile


@task()
def rollup_catch_up() -> int | None:
    return facts_catch_up(wait=False)


@task()
def rollup_reconcile() -> int:
    return facts_reconcile()
