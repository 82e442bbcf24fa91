"""Reading requests and SMS for distress: a sensitive category or sensitive words."""

from django.db.models import Q, QuerySet

from entraide.channels.models import InboundMessage
from entraide.needs.categories import SENSITIVE_CODES
from entraide.needs.models import HelpRequest
from entraide.needs.services import help_request_record_screening
from entraide.needs.states import REQUEST_CLOSED

from .categories import sensitive_category_in
from .escalations import escalation_raise
from .models import Escalation, EscalationSource


def request_screen(*, help_request_id: int) -> Escalation | None:
    """A sensitive-category request, or a request whose words reveal distress, is
    escalated. The words' public copy is then withheld from the board (emptied, by
    ``needs``): the request stays open for its practical need, its text is never shown in
    public. The read is recorded on the request only after the escalation is stored, so a
    failure leaves it unscreened for the retry and the sweep; running it twice raises
    one escalation (its ``source_key`` is the request's reference)."""
    help_request = HelpRequest.objects.select_related("contact", "zone").get(pk=help_request_id)
    screened = help_request.description
    if help_request.category in SENSITIVE_CODES:
        category, source = help_request.category, EscalationSource.REQUEST_CATEGORY
    else:
        category = sensitive_category_in(screened)
        source = EscalationSource.REQUEST_KEYWORD
    escalation = None
    if category is not None:
        escalation = escalation_raise(
            source=source,
            source_key=f"request:{help_request.reference}",
            category=category,
            zone=help_request.zone,
            summary=screened,
            help_request=help_request,
            reporter_phone=help_request.contact.phone,
        )
    help_request_record_screening(
        help_request_id=help_request.pk,
        screened_description=screened,
        withhold_public_text=source == EscalationSource.REQUEST_KEYWORD and category is not None,
    )
    return escalation


def requests_to_screen() -> QuerySet[HelpRequest]:
    """Requests whose current text was never read for distress: every sensitive one,
    and every live one (an ordinary request may reveal distress in its words)."""
    return HelpRequest.objects.filter(screened_at__isnull=True).filter(
        Q(category__in=SENSITIVE_CODES) | ~Q(status__in=REQUEST_CLOSED)
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
