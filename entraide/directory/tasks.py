"""Background tasks of the directory (run by ``manage.py db_worker``)."""

from django_tasks import task

from .bulletins import bulletin_send, bulletins_weekly


@task()
def send_bulletin(bulletin_id: int) -> int:
    return bulletin_send(bulletin_id=bulletin_id)


@task()
def compose_weekly_bulletins() -> int:
    """Registered in ``platform.schedule``: composes each territory's draft bulletin once a
    week, for a coordinator to preview and publish. It sends nothing."""
    return len(bulletins_weekly())
