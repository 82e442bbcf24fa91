"""New requests get an instant proposal as soon as they are committed."""

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

    def propose() -> None:
        from .services import match_propose_instant

        try:
            match_propose_instant(help_request=instance)
        except Exception:
            # The batch run will match it; a matching failure must never lose a request.
            logger.exception("Instant proposal failed for %s", instance.reference)

    transaction.on_commit(propose)
