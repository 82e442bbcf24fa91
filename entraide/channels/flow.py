"""The telephone menu of Entraide, as a graph of steps (see calls.py for the engine).

language → menu → place → postcode → postcode_check → category → urgency → summary →
done, with menu → mine to hear or cancel one's requests, and human → transfer or record
when the caller presses 0 or fails twice. Where the territory's postcodes have letters
(Canada's H2X 1Y4), a keypad cannot type them: place → zone_way offers the zone number
printed on the posters (zone_number) or the zones read out three at a time (zone_list),
and zone_check reads the choice back. Sensitive needs (distress, violence) are never menu
items: a caller in distress presses 0 and talks to a person.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from entraide.needs.categories import category_label
from entraide.needs.models import HelpRequest, Urgency
from entraide.needs.states import RequestStatus
from entraide.platform.languages import site_languages
from entraide.territory.active import territory_active, territory_country
from entraide.territory.postcodes import postcode_format
from entraide.territory.selectors import (
    incident_active,
    zone_by_number,
    zone_for_postcode,
    zone_list,
    zone_numbers,
)

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
    for key, (code, _name) in enumerate(_languages(), start=1):
        with translation.override(code):
            lines.append(Say(_("To continue in English, press %(key)s.") % {"key": key}, code))
    return lines


def _languages() -> list[tuple[str, str]]:
    """The territory's languages first, in the variant it speaks (Québec French)."""
    return site_languages(territory_active())


def _language_route(call: Call, received: CallInput) -> str:
    codes = [code for code, _name in _languages()]
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


def _place_enter(call: Call) -> str:
    """A postcode the keypad can type, or else the zone by its number or from a list."""
    for key in ("postcode", "zone_number", "zone_name", "zone_page"):
        call.data.pop(key, None)
    return "postcode" if postcode_format(territory_country()).digits_only else "zone"


def _postcode_prompt(call: Call) -> list[str | Say]:
    shape = postcode_format(territory_country())
    if len(shape.example) == 5:
        return [_("Type your postcode: five digits, then the hash key.")]
    return [
        _("Type your postcode: %(count)s digits, then the hash key.")
        % {"count": len(shape.example)}
    ]


def _postcode_route(call: Call, received: CallInput) -> str:
    digits = (received.digits or "").rstrip("#")
    try:
        zone = zone_for_postcode(postcode=digits)
    except ValidationError as exc:
        if exc.code == "unknown_postcode":
            call.say(_("%(digits)s is not a postcode we cover.") % {"digits": spell(digits)})
        elif len(postcode_format(territory_country()).example) == 5:
            call.say(_("A postcode has five digits."))
        else:
            call.say(exc.messages[0])
        return OTHER
    call.data.update(postcode=digits, zone_id=zone.pk, page=0)
    return "typed"


def _postcode_check_prompt(call: Call) -> list[str | Say]:
    return [
        _("You typed: %(digits)s.") % {"digits": spell(call.data["postcode"])},
        option(_("If that is right"), "1"),
        option(_("To type it again"), "2"),
    ]


ZONES_A_PAGE = 3


def _zone_way_prompt(call: Call) -> list[str | Say]:
    return [
        option(_("If you know your zone number, printed on our posters"), "1"),
        option(_("To hear the list of zones"), "2"),
    ]


def _zone_number_prompt(call: Call) -> list[str | Say]:
    return [_("Type your zone number, printed on our posters, then the hash key.")]


def _zone_chosen(call: Call, zone_id: int, number: int, name: str) -> str:
    call.data.update(zone_id=zone_id, zone_number=number, zone_name=name, page=0)
    return "chosen"


def _zone_number_route(call: Call, received: CallInput) -> str:
    digits = (received.digits or "").rstrip("#")
    zone = zone_by_number(number=int(digits)) if digits.isdigit() else None
    if zone is None:
        call.say(_("%(digits)s is not one of our zone numbers.") % {"digits": spell(digits)})
        return OTHER
    return _zone_chosen(call, zone.pk, int(digits), zone.name)


def _zone_page(call: Call) -> list[tuple[int, int, str]]:
    """The zones read on this page, as (number, id, name), in the posters' order."""
    numbers = zone_numbers()
    zones = sorted((numbers[z.pk], z.pk, z.name) for z in zone_list() if z.pk in numbers)
    pages = max(1, -(-len(zones) // ZONES_A_PAGE))
    page = call.data.get("zone_page", 0) % pages
    call.data["zone_page"] = page
    return zones[page * ZONES_A_PAGE : (page + 1) * ZONES_A_PAGE]


def _zone_list_prompt(call: Call) -> list[str | Say]:
    lines: list[str | Say] = [
        option(_("Zone %(number)s, %(name)s") % {"number": number, "name": name}, str(key))
        for key, (number, _id, name) in enumerate(_zone_page(call), start=1)
    ]
    lines.append(option(_("To hear more zones"), MORE_KEY))
    return lines


def _zone_list_route(call: Call, received: CallInput) -> str:
    page = _zone_page(call)
    digits = received.digits or ""
    if digits == MORE_KEY:
        call.data["zone_page"] = call.data.get("zone_page", 0) + 1
        return "more"
    if digits.isdigit() and 1 <= int(digits) <= len(page):
        number, zone_id, name = page[int(digits) - 1]
        return _zone_chosen(call, zone_id, number, name)
    return OTHER


def _zone_check_prompt(call: Call) -> list[str | Say]:
    return [
        _("You chose zone %(number)s: %(name)s.")
        % {"number": call.data["zone_number"], "name": call.data["zone_name"]},
        option(_("If that is right"), "1"),
        option(_("To choose again"), "2"),
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
    values = {
        "need": category_label(call.data["category"]),
        "urgency": Urgency(call.data["urgency"]).label,
    }
    if "postcode" in call.data:
        said = _("Your request: %(need)s, postcode %(digits)s, %(urgency)s.") % {
            **values,
            "digits": spell(call.data["postcode"]),
        }
    else:
        said = _("Your request: %(need)s, zone %(number)s, %(zone)s, %(urgency)s.") % {
            **values,
            "number": call.data["zone_number"],
            "zone": call.data["zone_name"],
        }
    return [
        said,
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
            exits={"ask": "place", "mine": "mine"},
        ),
        Step(
            "place",
            _goodbye_prompt,
            expects="nothing",
            on_enter=_place_enter,
            exits={"postcode": "postcode", "zone": "zone_way"},
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
            "zone_way",
            _zone_way_prompt,
            route=_keys({"1": "number", "2": "list"}),
            exits={"number": "zone_number", "list": "zone_list"},
        ),
        Step(
            "zone_number",
            _zone_number_prompt,
            num_digits=3,
            finish_on_key="#",
            timeout=10,
            route=_zone_number_route,
            exits={"chosen": "zone_check"},
        ),
        Step(
            "zone_list",
            _zone_list_prompt,
            route=_zone_list_route,
            exits={"chosen": "zone_check", "more": "zone_list"},
        ),
        Step(
            "zone_check",
            _zone_check_prompt,
            route=_keys({"1": "yes", "2": "no"}),
            exits={"yes": "category", "no": "zone_way"},
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
            exits={"sent": "done", "restart": "place", "failed": "human"},
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
