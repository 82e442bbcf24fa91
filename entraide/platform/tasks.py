"""Background tasks of the platform (run by ``manage.py db_worker``)."""

from django_tasks import task

from .data_rights import retention_purge
from .outbox import outbox_deliver, outbox_deliver_due


@task(queue_name="outbox")
def deliver_outbox_message(message_id: int) -> bool:
    return outbox_deliver(message_id)


@task(queue_name="outbox")
def deliver_due_messages() -> int:
    return outbox_deliver_due()


@task()
def purge_expired_personal_data() -> dict:
    return retention_purge()
