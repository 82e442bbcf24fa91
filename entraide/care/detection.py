"""Reading requests and SMS for distress: a sensitive category or sensitive words."""

from entraide.channels.models import InboundMessage
from entraide.needs.categories import SENSITIVE_CODES
from entraide.needs.models import HelpRequest

from .categories import sensitive_category_in
from .escalations import escalation_raise
from .models import Escalation, EscalationSource


def request_screen(*, help_request_id: int, created: bool) -> Escalation | None:
    """A new sensitive-category request, or a request whose words reveal distress, is
    escalated. The words' public copy is then withheld from the board (emptied): the
    request stays open for its practical need, its text is never shown in public."""
    help_request = HelpRequest.objects.select_related("contact", "zone").get(pk=help_request_id)
    if created and help_request.category in SENSITIVE_CODES:
        category, source = help_request.category, EscalationSource.REQUEST_CATEGORY
    else:
        category = sensitive_category_in(help_request.description)
        source = EscalationSource.REQUEST_KEYWORD
        if category is None:
            return None
        HelpRequest.objects.filter(pk=help_request.pk).update(public_description="")
    return escalation_raise(
        source=source,
        source_key=f"request:{help_request.reference}",
        category=category,
        zone=help_request.zone,
        summary=help_request.description,
        help_request=help_request,
        reporter_phone=help_request.contact.phone,
    )


def sms_screen(*, inbound_id: int) -> Escalation | None:
    """An SMS whose words reveal distress and that made no request (a request is screened
    on its own) is escalated, with the sender's number to call back."""
    inbound = InboundMessage.objects.filter(pk=inbound_id).first()
    if inbound is None or inbound.help_request_id:
        return None
    category = sensitive_category_in(inbound.body)
    if category is None:
        return None
    return escalation_raise(
        source=EscalationSource.SMS_KEYWORD,
        source_key=f"sms:{inbound.message_sid}",
        category=category,
        zone=None,
        summary=inbound.body,
        reporter_phone=inbound.sender,
    )
