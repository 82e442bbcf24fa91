"""The telephone menu of Entraide, as a graph of steps (see calls.py for the engine).

language → menu → postcode → postcode_check → category → urgency → summary → done,
with menu → mine to hear or cancel one's requests, and human → transfer or record when
the caller presses 0 or fails twice. Sensitive needs (distress, violence) are never menu
items: a caller in distress presses 0 and talks to a person.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from entraide.needs.categories import category_label
from entraide.needs.models import HelpRequest, Urgency
from entraide.needs.states import RequestStatus
from entraide.territory.selectors import incident_active, zone_for_postcode

from . import services
from .calls import OTHER, Call, CallInput, Flow, Say, Step, spell
from .selectors import caller_open_requests, sms_queued

MORE_KEY = "4"

# At most four options a level: three needs and "something else".
CATEGORY_PAGES: tuple[tuple[str, ...], ...] = (
    ("groceries", "medicines", "phone_chat"),
    ("food_parcel", "transport", "paperwork"),
    ("pet_walking", "childcare", "homework"),
    ("hygiene_kit", "digital", "other"),
)

URGENCY_KEYS: tuple[tuple[str, int], ...] = (
    ("1", Urgency.CRITICAL),
    ("2", Urgency.HIGH),
    ("3", Urgency.NORMAL),
    ("4", Urgency.LOW),
)


def option(label: object, key: str) -> str:
    """The need first, then the key: a caller knows what the key does before hearing it."""
    return _("%(need)s: press %(key)s.") % {"need": label, "key": key}


def _language_prompt(call: Call) -> list[str | Say]:
    lines: list[str | Say] = [_("Hello, this is Entraide, neighbourhood mutual aid.")]
    incident = incident_active()
    if incident and incident.hotline_message:
        # Crisis mode (crisis app): the coordinators' message, right after the greeting.
        lines.append(incident.hotline_message)
    for key, (code, _name) in enumerate(settings.LANGUAGES, start=1):
        with translation.override(code):
            lines.append(Say(_("To continue in English, press %(key)s.") % {"key": key}, code))
    return lines


def _language_route(call: Call, received: CallInput) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    digits = received.digits or ""
    if digits.isdigit() and 1 <= int(digits) <= len(codes):
        call.language = codes[int(digits) - 1]
        return "chosen"
    return OTHER


def _menu_prompt(call: Call) -> list[str | Say]:
    return [
        option(_("To ask for help"), "1"),
        option(_("To hear or cancel your requests"), "2"),
        option(_("To speak to someone"), "0"),
        _("To hear this again, press the star key."),
    ]


def _keys(mapping: dict[str, str]):
    def route(call: Call, received: CallInput) -> str:
        return mapping.get(received.digits or "", OTHER)

    return route


def _postcode_prompt(call: Call) -> list[str | Say]:
    return [_("Type your postcode: five digits, then the hash key.")]


def _postcode_route(call: Call, received: CallInput) -> str:
    digits = (received.digits or "").rstrip("#")
    try:
        zone = zone_for_postcode(postcode=digits)
    except ValidationError as exc:
        if exc.code == "unknown_postcode":
            call.say(_("%(digits)s is not a postcode we cover.") % {"digits": spell(digits)})
        else:
            call.say(_("A postcode has five digits."))
        return OTHER
    call.data.update(postcode=digits, zone_id=zone.pk, page=0)
    return "typed"


def _postcode_check_prompt(call: Call) -> list[str | Say]:
    return [
        _("You typed: %(digits)s.") % {"digits": spell(call.data["postcode"])},
        option(_("If that is right"), "1"),
        option(_("To type it again"), "2"),
    ]


def _category_prompt(call: Call) -> list[str | Say]:
    page = CATEGORY_PAGES[call.data.get("page", 0)]
    lines: list[str | Say] = [_("What do you need?")]
    lines += [option(category_label(code), str(key)) for key, code in enumerate(page, start=1)]
    last = call.data.get("page", 0) == len(CATEGORY_PAGES) - 1
    lines.append(option(_("To hear the first needs again") if last else _("Something else"), "4"))
    return lines


def _category_route(call: Call, received: CallInput) -> str:
    page_index = call.data.get("page", 0)
    page = CATEGORY_PAGES[page_index]
    digits = received.digits or ""
    if digits == MORE_KEY:
        call.data["page"] = (page_index + 1) % len(CATEGORY_PAGES)
        return "more"
    if digits.isdigit() and 1 <= int(digits) <= len(page):
        call.data["category"] = page[int(digits) - 1]
        return "chosen"
    return OTHER


def _urgency_prompt(call: Call) -> list[str | Say]:
    return [_("How urgent is it?")] + [
        option(Urgency(value).label, key) for key, value in URGENCY_KEYS
    ]


def _urgency_route(call: Call, received: CallInput) -> str:
    for key, value in URGENCY_KEYS:
        if received.digits == key:
            call.data["urgency"] = int(value)
            return "chosen"
    return OTHER


def _summary_prompt(call: Call) -> list[str | Say]:
    return [
        _("Your request: %(need)s, postcode %(digits)s, %(urgency)s.")
        % {
            "need": category_label(call.data["category"]),
            "digits": spell(call.data["postcode"]),
            "urgency": Urgency(call.data["urgency"]).label,
        },
        option(_("To send it"), "1"),
        option(_("To start again"), "2"),
    ]


def _summary_route(call: Call, received: CallInput) -> str:
    if received.digits == "2":
        return "restart"
    if received.digits != "1":
        return OTHER
    try:
        created = services.phone_request_create(
            call_id=call.call_id,
            caller=call.caller,
            zone_id=call.data["zone_id"],
            category=call.data["category"],
            urgency=call.data["urgency"],
            language=call.language,
        )
    except ValidationError:
        call.say(_("We could not record your request on the telephone menu."))
        return "failed"
    call.data["reference"] = created.entry.reference
    return "sent"


def _done_prompt(call: Call) -> list[str | Say]:
    reference = spell(call.data["reference"])
    lines: list[str | Say] = [
        _("Your request is recorded and shown to the volunteers of your area."),
        _("Your reference is: %(reference)s.") % {"reference": reference},
        _("I repeat: %(reference)s.") % {"reference": reference},
    ]
    if sms_queued(delivery_key=f"call:{call.call_id}:confirmation"):
        lines.append(_("We are also sending it to you by SMS."))
    lines += [
        _("To hear it again, press the star key."),
        option(_("To go back to the menu"), "1"),
    ]
    return lines


def _goodbye_prompt(call: Call) -> list[str | Say]:
    return [_("Thank you for calling Entraide. Goodbye.")]


def _mine_enter(call: Call) -> str | None:
    """Read the caller's open requests afresh each time the list is entered (after a
    cancellation too), as [reference, category, status] triples kept in the call's data."""
    mine = [
        [reference, category, status]
        for reference, category, status in caller_open_requests(phone=call.caller).values_list(
            "reference", "category", "status"
        )
    ]
    if not mine:
        call.data.pop("mine", None)
        call.data.pop("mine_index", None)
        call.say(_("We found no open request for this phone number."))
        return "none"
    call.data["mine"] = mine
    call.data["mine_index"] = call.data.get("mine_index", 0) % len(mine)
    return None


def _mine_prompt(call: Call) -> list[str | Say]:
    reference, category, status = call.data["mine"][call.data["mine_index"]]
    return [
        _("Request %(reference)s: %(need)s, %(status)s.")
        % {
            "reference": spell(reference),
            "need": category_label(category),
            "status": RequestStatus(status).label,
        },
        option(_("To cancel this request"), "9"),
        option(_("To hear the next one"), "1"),
        option(_("To go back to the menu"), "2"),
    ]


def _mine_route(call: Call, received: CallInput) -> str:
    if received.digits == "1":
        call.data["mine_index"] = call.data["mine_index"] + 1
        return "next"
    if received.digits == "2":
        return "back"
    if received.digits != "9":
        return OTHER
    reference = call.data["mine"][call.data["mine_index"]][0]
    try:
        services.caller_request_cancel(phone=call.caller, reference=reference, channel="phone")
    except (HelpRequest.DoesNotExist, ValidationError):
        call.say(_("This request can no longer be cancelled."))
    else:
        call.say(_("Request %(reference)s is cancelled.") % {"reference": spell(reference)})
    return "cancelled"


def _human_enter(call: Call) -> str:
    return "transfer" if settings.ENTRAIDE_OPERATOR_NUMBER else "record"


def _transfer_prompt(call: Call) -> list[str | Say]:
    return [_("Please hold: we are putting you through to someone.")]


def _transfer_route(call: Call, received: CallInput) -> str:
    if received.dial_status in {"completed", "answered"}:
        return "talked"
    call.say(_("Nobody is free to answer right now."))
    return "unanswered"


def _record_prompt(call: Call) -> list[str | Say]:
    return [
        _(
            "Leave a message after the beep: your name, your postcode and what you need. "
            "Press the hash key when you have finished."
        )
    ]


def _record_route(call: Call, received: CallInput) -> str:
    services.voice_message_create(
        call_id=call.call_id,
        recording_url=received.recording_url,
        duration_seconds=received.recording_seconds,
    )
    return "recorded"


def _thanks_prompt(call: Call) -> list[str | Say]:
    return [_("Thank you. Someone from Entraide will call you back soon. Goodbye.")]


PHONE_FLOW = Flow(
    [
        Step(
            "language",
            _language_prompt,
            route=_language_route,
            exits={"chosen": "menu"},
        ),
        Step(
            "menu",
            _menu_prompt,
            route=_keys({"1": "ask", "2": "mine"}),
            exits={"ask": "postcode", "mine": "mine"},
        ),
        Step(
            "postcode",
            _postcode_prompt,
            num_digits=5,
            finish_on_key="#",
            timeout=10,
            route=_postcode_route,
            exits={"typed": "postcode_check"},
        ),
        Step(
            "postcode_check",
            _postcode_check_prompt,
            route=_keys({"1": "yes", "2": "no"}),
            exits={"yes": "category", "no": "postcode"},
        ),
        Step(
            "category",
            _category_prompt,
            route=_category_route,
            exits={"chosen": "urgency", "more": "category"},
        ),
        Step("urgency", _urgency_prompt, route=_urgency_route, exits={"chosen": "summary"}),
        Step(
            "summary",
            _summary_prompt,
            route=_summary_route,
            exits={"sent": "done", "restart": "postcode", "failed": "human"},
        ),
        Step(
            "done",
            _done_prompt,
            route=_keys({"1": "menu"}),
            exits={"menu": "menu"},
            on_no_response="goodbye",
        ),
        Step("goodbye", _goodbye_prompt, expects="nothing"),
        Step(
            "mine",
            _mine_prompt,
            on_enter=_mine_enter,
            route=_mine_route,
            exits={"none": "menu", "next": "mine", "back": "menu", "cancelled": "mine"},
        ),
        Step(
            "human",
            _goodbye_prompt,
            expects="nothing",
            on_enter=_human_enter,
            exits={"transfer": "transfer", "record": "record"},
        ),
        Step(
            "transfer",
            _transfer_prompt,
            expects="transfer",
            route=_transfer_route,
            exits={"talked": "goodbye", "unanswered": "record"},
            on_other="record",
            transfer_to=lambda: settings.ENTRAIDE_OPERATOR_NUMBER,
        ),
        Step(
            "record",
            _record_prompt,
            expects="recording",
            route=_record_route,
            exits={"recorded": "thanks"},
        ),
        Step("thanks", _thanks_prompt, expects="nothing"),
    ],
    first="language",
    human="human",
)
