"""SMS: a keyword grammar in every supported language, and the inbound-message service.

Tolerant of case, accents and separators: ``aide 75011 courses``, ``AIDE-75011-2``,
``Ayuda 75011 compras 1``, ``annuler r-bl649d``. Category and urgency can be words or
numbers. Anything else gets a short help reply in the sender's language.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from entraide.matching.models import Assignment, AssignmentStatus
from entraide.matching.services import assignment_accept, assignment_decline
from entraide.needs.categories import category_label
from entraide.needs.models import Channel, HelpRequest, Urgency
from entraide.needs.services import DESCRIPTION_MAX, ContactInput, RequestInput, help_request_create
from entraide.platform.events import publish
from entraide.platform.languages import territory_language
from entraide.territory.active import (
    territory_active,
    territory_country,
    territory_country_known,
)
from entraide.territory.postcodes import postcode_format
from entraide.territory.selectors import zone_for_postcode

from . import services
from .events import SmsReceived
from .models import InboundMessage
from .selectors import caller_request, sender_language, sms_opted_out, sms_received_today
from .voice import caller_number

LANGUAGE_CODES = ("fr", "en", "es", "ca", "pt")

KEYWORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "request": {
        "AIDE": ("fr",),
        "BESOIN": ("fr",),
        "HELP": ("en",),
        "AYUDA": ("es",),
        "AJUDA": ("pt", "ca"),
        "AJUT": ("ca",),
    },
    "cancel": {
        "ANNULER": ("fr",),
        "CANCEL": ("en",),
        "CANCELAR": ("es", "pt"),
        "ANULAR": ("es", "pt"),
        "CANCELLAR": ("ca",),
        "ANULLAR": ("ca",),
    },
    "status": {
        "STATUT": ("fr",),
        "ETAT": ("fr",),
        "STATUS": ("en",),
        "ESTADO": ("es", "pt"),
        "ESTAT": ("ca",),
    },
    "accept": {"OUI": ("fr",), "YES": ("en",), "SI": ("es", "ca"), "SIM": ("pt",)},
    "decline": {"NON": ("fr",), "NO": ("en", "es", "ca"), "NAO": ("pt",)},
    "stop": {
        "STOP": (),
        "STOPALL": (),
        "UNSUBSCRIBE": (),
        "END": ("en",),
        "QUIT": ("en",),
        "ARRET": ("fr",),
        "ARRETER": ("fr",),
        "BAJA": ("es",),
        "BAIXA": ("ca",),
        "PARAR": ("pt",),
    },
    "start": {"START": (), "UNSTOP": (), "REPRENDRE": ("fr",)},
}
# Bare words that carriers and Twilio treat as opt-out: alone, they stop messages too.
BARE_STOP_WORDS = frozenset({"CANCEL"})

CATEGORY_WORDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "COURSES": ("groceries", ("fr",)),
    "GROCERIES": ("groceries", ("en",)),
    "SHOPPING": ("groceries", ("en",)),
    "COMPRAS": ("groceries", ("es", "pt")),
    "COMPRES": ("groceries", ("ca",)),
    "MEDICAMENTS": ("medicines", ("fr", "ca")),
    "PHARMACIE": ("medicines", ("fr",)),
    "MEDICINES": ("medicines", ("en",)),
    "MEDICINE": ("medicines", ("en",)),
    "MEDICAMENTOS": ("medicines", ("es", "pt")),
    "FARMACIA": ("medicines", ("es", "ca", "pt")),
    "CHIEN": ("pet_walking", ("fr",)),
    "ANIMAL": ("pet_walking", ("fr", "en", "es", "ca", "pt")),
    "DOG": ("pet_walking", ("en",)),
    "PERRO": ("pet_walking", ("es",)),
    "GOS": ("pet_walking", ("ca",)),
    "CAO": ("pet_walking", ("pt",)),
    "ENFANTS": ("childcare", ("fr",)),
    "CHILDCARE": ("childcare", ("en",)),
    "NINOS": ("childcare", ("es",)),
    "INFANTS": ("childcare", ("ca",)),
    "CRIANCAS": ("childcare", ("pt",)),
    "DEVOIRS": ("homework", ("fr",)),
    "HOMEWORK": ("homework", ("en",)),
    "DEBERES": ("homework", ("es",)),
    "DEURES": ("homework", ("ca",)),
    "TRABALHOS": ("homework", ("pt",)),
    "PAPIERS": ("paperwork", ("fr",)),
    "PAPERWORK": ("paperwork", ("en",)),
    "PAPELES": ("paperwork", ("es",)),
    "PAPERS": ("paperwork", ("ca",)),
    "PAPEIS": ("paperwork", ("pt",)),
    "APPEL": ("phone_chat", ("fr",)),
    "CALL": ("phone_chat", ("en",)),
    "LLAMADA": ("phone_chat", ("es",)),
    "TRUCADA": ("phone_chat", ("ca",)),
    "CONVERSA": ("phone_chat", ("pt", "ca")),
    "TRANSPORT": ("transport", ("fr", "en", "ca")),
    "TRANSPORTE": ("transport", ("es", "pt")),
    "COLIS": ("food_parcel", ("fr",)),
    "FOOD": ("food_parcel", ("en",)),
    "ALIMENTOS": ("food_parcel", ("es", "pt")),
    "ALIMENTS": ("food_parcel", ("ca",)),
    "HYGIENE": ("hygiene_kit", ("fr", "en")),
    "HIGIENE": ("hygiene_kit", ("es", "ca", "pt")),
    "NUMERIQUE": ("digital", ("fr",)),
    "DIGITAL": ("digital", ("en", "es", "pt")),
    "INFORMATICA": ("digital", ("es", "ca", "pt")),
    "AUTRE": ("other", ("fr",)),
    "OTHER": ("other", ("en",)),
    "OTRO": ("other", ("es",)),
    "ALTRE": ("other", ("ca",)),
    "OUTRO": ("other", ("pt",)),
}
# AIDE 75011 2: needs by number, in the telephone menu's order.
CATEGORY_NUMBERS: tuple[str, ...] = (
    "groceries",
    "medicines",
    "phone_chat",
    "food_parcel",
    "transport",
    "paperwork",
    "pet_walking",
    "childcare",
    "homework",
    "hygiene_kit",
    "digital",
    "other",
)
URGENCY_NUMBERS: dict[str, int] = {
    "1": Urgency.CRITICAL,
    "2": Urgency.HIGH,
    "3": Urgency.NORMAL,
    "4": Urgency.LOW,
}
URGENT_WORDS = frozenset({"URGENT", "URGENCE", "URGENTE", "URGENCIA"})
# A few common words to answer an unreadable message in its writer's language.
LANGUAGE_HINTS: dict[str, frozenset[str]] = {
    "fr": frozenset({"BONJOUR", "JE", "MERCI", "SVP", "AIDEZ", "MOI", "BESOIN"}),
    "en": frozenset({"HELLO", "HI", "I", "NEED", "PLEASE", "THANKS", "THE"}),
    "es": frozenset({"HOLA", "NECESITO", "GRACIAS", "POR", "FAVOR", "YO"}),
    "ca": frozenset({"BON", "DIA", "NECESSITO", "GRACIES", "SISPLAU", "JO"}),
    "pt": frozenset({"OLA", "PRECISO", "OBRIGADO", "OBRIGADA", "EU", "BOM"}),
}


@dataclass
class Command:
    intent: str
    languages: tuple[str, ...] = ()
    postcode: str = ""
    category: str = ""
    urgency: int = Urgency.NORMAL
    reference: str = ""
    rest: str = ""
    problems: list[str] = field(default_factory=list)


def tokens(text: str) -> list[str]:
    """Upper case, no accents, words and numbers apart whatever separates them."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.upper().replace("·", "").replace("•", "")
    text = re.sub(r"(?<=[A-Z])(?=\d)|(?<=\d)(?=[A-Z])", " ", text)
    return [t for t in re.split(r"[^A-Z0-9]+", text) if t]


def _rest_of(body: str, consumed: int) -> str:
    """The writer's own words after the first ``consumed`` tokens, as they wrote them."""
    words = body.split()
    while words and consumed > 0:
        consumed -= len(tokens(words.pop(0))) or 0
    return " ".join(words).strip()


def _reference(parts: list[str]) -> str:
    reference = "".join(parts)
    if len(reference) == 6:
        reference = "R" + reference
    return reference


def parse(body: str, country: str | None = None) -> Command:
    """Read a message; postcodes in the format of ``country`` (by default the territory
    this request is served for, else France)."""
    country = country or territory_country_known() or "FR"
    words = tokens(body)
    if not words:
        return Command("unknown")
    head, rest = words[0], words[1:]
    intent = next((name for name, words_of in KEYWORDS.items() if head in words_of), None)
    if intent is None:
        hinted = tuple(code for code, hints in LANGUAGE_HINTS.items() if hints & set(words))
        return Command("unknown", languages=hinted)
    languages = KEYWORDS[intent][head]
    if intent == "cancel" and not rest and head in BARE_STOP_WORDS:
        return Command("stop", languages=languages)
    if intent in {"cancel", "status", "accept", "decline"}:
        command = Command(intent, languages=languages, reference=_reference(rest))
        if not command.reference:
            command.problems.append("reference")
        return command
    if intent != "request":
        return Command(intent, languages=languages)
    return _parse_request(body, languages, rest, country)


def _postcode_anywhere(body: str, country: str) -> tuple[str, str] | None:
    """A postcode in the territory's format anywhere after the keyword (``AIDE H2X 1Y4
    COURSES``, ``AIDE COURSES 75011``): the postcode and the message without it."""
    head, _space, after = body.strip().partition(" ")
    found = postcode_format(country).find(after)
    if found is None:
        return None
    postcode, (start, end) = found
    return postcode, f"{head} {after[:start]} {after[end:]}"


def _parse_request(body: str, languages: tuple[str, ...], rest: list[str], country: str) -> Command:
    found = _postcode_anywhere(body, country)
    if found is not None:
        postcode, body = found
        command = _parse_request_words(body, languages, tokens(body)[1:], postcode)
        command.postcode = postcode
        return command
    return _parse_request_words(body, languages, rest)


def _parse_request_words(
    body: str, languages: tuple[str, ...], rest: list[str], postcode: str = ""
) -> Command:
    command = Command("request", languages=languages)
    position = 0
    if postcode:
        command.postcode = postcode
    elif position < len(rest) and rest[position].isdigit():
        digits = rest[position]
        position += 1
        if len(digits) < 5 and position < len(rest) and rest[position].isdigit():
            digits += rest[position]
            position += 1
        command.postcode = digits
    else:
        command.problems.append("postcode")
        return command
    word = rest[position] if position < len(rest) else ""
    if word.isdigit() and 1 <= int(word) <= len(CATEGORY_NUMBERS):
        command.category = CATEGORY_NUMBERS[int(word) - 1]
    elif word in CATEGORY_WORDS:
        command.category, word_languages = CATEGORY_WORDS[word]
        preferred = [code for code in languages if code in word_languages]
        command.languages = tuple(preferred) or languages
    else:
        command.problems.append("category")
        return command
    position += 1
    word = rest[position] if position < len(rest) else ""
    if word in URGENCY_NUMBERS:
        command.urgency = URGENCY_NUMBERS[word]
        position += 1
    elif word in URGENT_WORDS:
        command.urgency = Urgency.CRITICAL
        position += 1
    command.rest = _rest_of(body, 1 + position)
    return command


def _language(command: Command, sender: str) -> str:
    """The sender's language, in the variant the territory speaks (Québec French)."""
    return territory_language(_sender_language(command, sender), territory_active())


def _sender_language(command: Command, sender: str) -> str:
    previous = sender_language(phone=sender) if sender else None
    if previous and previous.split("-")[0] in command.languages:
        return previous
    if command.languages:
        return command.languages[0]
    return previous or settings.LANGUAGE_CODE


def _example_postcode() -> str:
    return postcode_format(territory_country()).example or "75011"


def help_text() -> str:
    example = _example_postcode()
    if example == "75011":
        return _(
            "Entraide: to ask for help, text HELP, your postcode and your need, "
            "e.g. HELP 75011 GROCERIES. To cancel: CANCEL and your reference. "
            "To stop our messages: STOP."
        )
    return _(
        "Entraide: to ask for help, text HELP, your postcode and your need, "
        "e.g. HELP %(postcode)s GROCERIES. To cancel: CANCEL and your reference. "
        "To stop our messages: STOP."
    ) % {"postcode": example}


def needs_text() -> str:
    listed = ", ".join(
        f"{number} {category_label(code)}" for number, code in enumerate(CATEGORY_NUMBERS, 1)
    )
    return _("Say what you need after the postcode, by word or number: %(needs)s.") % {
        "needs": listed
    }


def _request(inbound: InboundMessage, command: Command) -> str:
    if "postcode" in command.problems:
        example = _example_postcode()
        if example == "75011":
            return _("Give your postcode after the keyword, e.g. HELP 75011 GROCERIES.")
        return _("Give your postcode after the keyword, e.g. HELP %(postcode)s GROCERIES.") % {
            "postcode": example
        }
    try:
        zone = zone_for_postcode(postcode=command.postcode)
    except ValidationError as exc:
        return exc.messages[0]
    if "category" in command.problems:
        return needs_text()
    description = command.rest[:DESCRIPTION_MAX] or services.default_description(
        category=command.category, channel=Channel.SMS, language=inbound.language
    )
    try:
        created = help_request_create(
            zone=zone,
            data=RequestInput(
                category=command.category,
                description=description,
                urgency=command.urgency,
                contact=ContactInput(phone=inbound.sender),
            ),
            channel=Channel.SMS,
            language=inbound.language,
        )
    except ValidationError as exc:
        return " ".join(exc.messages)
    inbound.help_request = created.entry
    services.request_confirm_by_sms(
        help_request=created.entry, phone=inbound.sender, key=f"sms:{inbound.message_sid}"
    )
    return ""


def _cancel(inbound: InboundMessage, command: Command) -> str:
    try:
        cancelled = services.caller_request_cancel(
            phone=inbound.sender, reference=command.reference, channel="sms"
        )
    except HelpRequest.DoesNotExist:
        return _("We found no request %(reference)s for this phone number.") % {
            "reference": command.reference
        }
    except ValidationError as exc:
        return exc.messages[0]
    inbound.help_request = cancelled
    return _("Your request %(reference)s is cancelled.") % {"reference": cancelled.reference}


def _status(inbound: InboundMessage, command: Command) -> str:
    try:
        help_request = caller_request(phone=inbound.sender, reference=command.reference)
    except HelpRequest.DoesNotExist:
        return _("We found no request %(reference)s for this phone number.") % {
            "reference": command.reference
        }
    return _("Request %(reference)s (%(need)s): %(status)s.") % {
        "reference": help_request.reference,
        "need": category_label(help_request.category),
        "status": help_request.get_status_display(),
    }


def _answer_proposal(inbound: InboundMessage, command: Command) -> str:
    assignment = (
        Assignment.objects.select_related("volunteer", "help_request")
        .filter(
            help_request__reference=command.reference,
            volunteer__phone=inbound.sender,
            status=AssignmentStatus.PROPOSED,
        )
        .first()
    )
    if assignment is None:
        return _("We found no proposal %(reference)s for this phone number.") % {
            "reference": command.reference
        }
    try:
        if command.intent == "accept":
            assignment_accept(assignment=assignment, volunteer=assignment.volunteer)
        else:
            assignment_decline(
                assignment=assignment, volunteer=assignment.volunteer, reason="declined by SMS"
            )
    except (ValidationError, PermissionDenied) as exc:
        return str(getattr(exc, "messages", [exc])[0])
    if command.intent == "accept":
        return _("Thank you! Request %(reference)s is yours. Open your volunteer page.") % {
            "reference": command.reference
        }
    return _("Noted: request %(reference)s goes to someone else.") % {
        "reference": command.reference
    }


def _reply(inbound: InboundMessage, command: Command) -> str:
    if command.intent == "stop":
        services.sms_opt_out(phone=inbound.sender, keyword=inbound.body.strip()[:20])
        return _("You will no longer get SMS from Entraide. To get them again, text START.")
    if command.intent == "start":
        services.sms_opt_in(phone=inbound.sender)
        return _("You will get SMS from Entraide again.")
    if not inbound.sender:
        return ""
    if "reference" in command.problems:
        return help_text()
    handlers = {
        "request": _request,
        "cancel": _cancel,
        "status": _status,
        "accept": _answer_proposal,
        "decline": _answer_proposal,
    }
    handler = handlers.get(command.intent)
    return handler(inbound, command) if handler else help_text()


def sms_receive(*, message_id: str, sender: str, body: str) -> str:
    """Handle one inbound SMS once and return the immediate reply ("" for none).

    A retried webhook (same message id) returns the stored reply and changes nothing:
    the unique message id is the guard, even when the retries arrive at the same time.
    """
    phone = caller_number(sender)
    try:
        with transaction.atomic():
            inbound = InboundMessage.objects.create(message_sid=message_id, sender=phone, body=body)
            publish(SmsReceived(inbound_id=inbound.pk))
            command = parse(body, territory_country())
            inbound.language = _language(command, phone)
            inbound.intent = command.intent
            with translation.override(inbound.language):
                reply = _reply(inbound, command)
            if phone and command.intent not in {"stop", "start"} and _muted(phone):
                reply = ""
            inbound.reply = reply
            inbound.save(update_fields=["language", "intent", "reply", "help_request"])
    except IntegrityError:
        stored = InboundMessage.objects.filter(message_sid=message_id).first()
        if stored is None:
            raise
        return stored.reply
    return reply


def _muted(phone: str) -> bool:
    """No reply to a number that opted out, or that already sent its daily share."""
    return (
        sms_opted_out(phone=phone)
        or sms_received_today(phone=phone) > settings.ENTRAIDE_SMS_DAILY_CAP_PER_NUMBER
    )
