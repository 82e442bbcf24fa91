"""New requests get an instant proposal from the background worker once committed.

The proposal runs in the worker, not in the web request: loading the supply costs far
more than recording the request, and a resident should not wait for it (nor lose their
request if matching fails). The periodic batch run catches anything the task missed.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from entraide.needs.categories import SENSITIVE_CODES
from entraide.needs.models import HelpRequest

logger = logging.getLogger(__name__)


@receiver(post_save, sender=HelpRequest, dispatch_uid="matching_propose_on_create")
def propose_for_new_request(sender, instance: HelpRequest, created: bool, **kwargs) -> None:
    if not created or instance.category in SENSITIVE_CODES:
        return

    def enqueue() -> None:
        from .tasks import propose_for_request

        try:
            propose_for_request.enqueue(instance.pk)
        except Exception:
            logger.exception("Could not queue the instant proposal of %s", instance.reference)

    transaction.on_commit(enqueue)
