"""The one question asked when a request is done: "Did you get the help you needed?".

The resident answers through a one-time link sent with the "done" message (no account,
and their private link is never known again in clear after creation). Only the hash of
that link is kept; the answer is stored on the request for the coordinators to read.
"""

import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.platform.tokens import hash_token, new_private_token

from .models import HelpRequest
from .states import RequestStatus

FEEDBACK_UNUSABLE = _("This link has already been used or is not valid.")


def feedback_link_issue(*, help_request: HelpRequest) -> str:
    """A new one-time link to answer the question (replacing any earlier one); return its
    full address. The request must be done."""
    token = new_private_token()
    HelpRequest.objects.filter(pk=help_request.pk).update(feedback_token_hash=hash_token(token))
    path = reverse(
        "needs:request_feedback_link",
        kwargs={"reference": help_request.reference, "token": token},
    )
    return settings.ENTRAIDE_PUBLIC_BASE_URL + path


def feedback_pending(*, reference: str, token: str) -> HelpRequest:
    """The done request that ``token`` may still answer for.

    Raise ValidationError(code="unusable") for a wrong, used or replaced link."""
    help_request = HelpRequest.objects.filter(
        reference=reference, status=RequestStatus.DONE, feedback_at=None
    ).first()
    if (
        help_request is None
        or not help_request.feedback_token_hash
        or not hmac.compare_digest(help_request.feedback_token_hash, hash_token(token))
    ):
        raise ValidationError(FEEDBACK_UNUSABLE, code="unusable")
    return help_request


@transaction.atomic
def feedback_record(*, reference: str, token: str, helped: bool) -> HelpRequest:
    """Record the answer once; the link is used up.

    Raise ValidationError(code="unusable") for a wrong, used or replaced link."""
    pending = feedback_pending(reference=reference, token=token)
    answered = HelpRequest.objects.filter(
        pk=pending.pk, feedback_at=None, feedback_token_hash=pending.feedback_token_hash
    ).update(feedback_helped=helped, feedback_at=timezone.now(), feedback_token_hash="")
    if not answered:
        raise ValidationError(FEEDBACK_UNUSABLE, code="unusable")
    pending.refresh_from_db()
    return pending
