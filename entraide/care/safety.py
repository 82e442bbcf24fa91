"""What must never reach a shared phone: the channels ask here before confirming.

Domestic violence: a confirmation SMS ("your request … Violence at home") read by the
person one is afraid of can put the reporter in danger. ``sms_confirmation_allowed`` is
registered at ``CareConfig.ready`` as a guard of ``channels.services.
request_confirm_by_sms``, which sends nothing when it says no; the web form confirms on
screen only, and the operator says the reference aloud.
"""

from entraide.needs.models import HelpRequest

from .categories import sensitive_category_in
from .models import CarePerson, Escalation

VIOLENCE = "violence"


def sms_confirmation_allowed(help_request: HelpRequest) -> bool:
    """False for a report of violence, by its category or by the words in it."""
    return (
        help_request.category != VIOLENCE
        and sensitive_category_in(help_request.description) != VIOLENCE
    )


def emergency_contact_may_be_told(person: CarePerson) -> bool:
    """Never alert the emergency contact of someone who reported violence: they may be
    the person the report is about."""
    return (
        not Escalation.objects.filter(courtesy_call__person=person, category=VIOLENCE).exists()
        and not Escalation.objects.filter(reporter_phone=person.phone, category=VIOLENCE).exists()
    )
