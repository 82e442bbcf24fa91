"""Why a request is waiting, in words a coordinator can act on (never a code)."""

from django.conf.locale import LANG_INFO
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from entraide.matching.engine import UnmatchedReason
from entraide.needs.models import HelpRequest


def language_name(code: str) -> str:
    """The language's name in the current language, in lower case ("portugais")."""
    info = LANG_INFO.get(code)
    return str(_(info["name"])).lower() if info else code


def _km(value: float) -> str:
    """3 → "3", 2.5 → "2,5" (in French)."""
    value = round(value, 1)
    return number_format(int(value) if value == int(value) else value)


def reason_sentence(
    reason: UnmatchedReason | str, *, help_request: HelpRequest, search_km: float | None
) -> str:
    """The engine's unmatched reason for ``help_request`` as one sentence.

    ``search_km`` is how far volunteers of the zone travel at most (None when unknown)."""
    reason = UnmatchedReason(reason)
    facts = {
        "category": help_request.category_label,
        "language": language_name(help_request.language),
        "km": _km(search_km or 0),
    }
    if reason is UnmatchedReason.NO_COMMON_LANGUAGE:
        if search_km:
            return _("No verified volunteer speaks %(language)s within %(km)s km.") % facts
        return _("No verified volunteer nearby speaks %(language)s.") % facts
    sentences = {
        UnmatchedReason.NO_SUPPLY_FOR_CATEGORY: _("No verified volunteer offers “%(category)s”."),
        UnmatchedReason.NO_SUPPLY_IN_RADIUS: _(
            "No verified volunteer for “%(category)s” travels as far as this address."
        ),
        UnmatchedReason.NO_AVAILABILITY: _(
            "No verified volunteer for “%(category)s” nearby is free in the requested time."
        ),
        UnmatchedReason.BLOCKED: _(
            "The volunteers who could help were blocked for this request or already said no."
        ),
        UnmatchedReason.CAPACITY_EXHAUSTED: _(
            "All the volunteers for “%(category)s” nearby are at full capacity."
        ),
    }
    return sentences[reason] % facts


def waiting_sentence(
    *, help_request: HelpRequest, proposed: bool, declines: int, search_km: float | None
) -> str:
    """Why a request of the queue has nobody yet: the engine's reason when matching left
    it unmatched, otherwise where it stands."""
    if proposed:
        return _("Proposed to a volunteer, waiting for an answer.")
    note = getattr(help_request, "unmatched_note", None)
    if note is not None:
        return reason_sentence(note.reason, help_request=help_request, search_km=search_km)
    if declines:
        return _("Declined by %(count)s volunteers; nobody else proposed yet.") % {
            "count": declines
        }
    return _("Matching has not looked at it yet.")


def claim_sentence(claim) -> str:
    """Where a case stands with a partner organisation, in one sentence (``claim`` is a
    ``CaseClaim``; a withdrawn offer says nothing: the case is the coordinators' again)."""
    organisation = claim.organisation.name
    if claim.status == "offered":
        return _("Offered to %(organisation)s, waiting for their answer.") % {
            "organisation": organisation
        }
    if claim.status == "claimed":
        return _("Taken on by %(organisation)s.") % {"organisation": organisation}
    if claim.status == "declined":
        return _("Declined by %(organisation)s: %(reason)s") % {
            "organisation": organisation,
            "reason": claim.reason,
        }
    return ""


def volunteer_claim_sentence(assignment) -> str:
    """A request a volunteer took themselves from the requests near them (``assignment``
    is matching's ``Assignment`` with the source "volunteer")."""
    return _("Offered by volunteer %(name)s, who picked it from the requests near them.") % {
        "name": assignment.volunteer.first_name if assignment.volunteer else ""
    }
