"""Proof 8 — data rights cover every model. tests/platform/test_data_rights.py proves the
purge (frozen clock, history copies included), the audited export, erasure that ends
sessions, and erasures re-applied after a restore. What it left open: a model that holds
personal data but that no registered source exports or erases.

Every model with a personal field must be claimed by a source below (a new one fails
until it is), and one person present in all of them is exported from all of them and
erased from all of them.
"""

import json
import re

from django.apps import apps

from entraide.channels.models import CallerNote, InboundMessage, SmsOptOut
from entraide.directory.models import Subscription
from entraide.needs import services
from entraide.platform import data_rights, outbox
from tests.conftest import offer_input, request_input

PERSONAL_FIELD = re.compile(
    r"(^|_)(phone|email|address|first_name|last_name|caller|recipient|sender|body)$"
)
# Model → the source that exports and erases it. Organisations' public phone and e-mail
# are published on purpose; audit rows keep the IP of who read what, as the legal record.
SOURCE_OF_MODEL = {
    "platform.AuditLog": None,
    "platform.OutboxMessage": "messages_sent",
    "needs.RequestContact": "requests_for_help",
    "needs.OfferContact": "offers_of_help",
    "people.Volunteer": "volunteer_profile",
    "people.Organisation": None,
    # An organisation's place (a food bank's address) is the organisation's, not a person's.
    "people.OrganisationOffer": None,
    "directory.Subscription": "bulletin_subscriptions",
    "channels.CallSession": "telephone_and_sms",
    "channels.InboundMessage": "telephone_and_sms",
    "channels.SmsOptOut": "telephone_and_sms",
    "channels.VoiceMessage": "telephone_and_sms",
    "channels.CallerNote": "telephone_and_sms",
    "care.CarePerson": "courtesy_calls",
    "care.Escalation": "escalations",
    # Alerts name the partner's or coordinator's duty contact, a staff contact, not a resident.
    "care.EscalationAlert": None,
    "platform.ContactProof": "contact_proofs",
}

PHONE, EMAIL = "+33645454545", "mireille.personne@example.org"


def personal_models() -> dict[str, list[str]]:
    found = {}
    for model in apps.get_models():
        if not model.__module__.startswith("entraide."):
            continue
        fields = [
            f.name
            for f in model._meta.get_fields()
            if getattr(f, "column", None) and PERSONAL_FIELD.search(f.name)
        ]
        if fields:
            found[model._meta.label] = fields
    return found


def test_every_model_with_personal_fields_is_claimed_by_a_registered_source():
    found = personal_models()
    unclaimed = sorted(set(found) - set(SOURCE_OF_MODEL))
    assert not unclaimed, f"personal data that no export/erasure covers: {unclaimed}"
    registered = {source.name for source in data_rights.SOURCES}
    claimed = {SOURCE_OF_MODEL[label] for label in found} - {None}
    assert claimed <= registered, claimed - registered


def test_one_person_everywhere_is_exported_and_erased_everywhere(paris, make_volunteer):
    zone = paris.zones.get(code="75011")
    contact = services.ContactInput(first_name="Mireille", phone=PHONE, email=EMAIL)
    services.help_request_create(zone=zone, data=request_input(contact=contact))
    services.help_offer_create(zone=zone, data=offer_input(contact=contact))
    volunteer = make_volunteer(phone=PHONE)
    volunteer.user.email = EMAIL
    volunteer.user.save()
    Subscription.objects.create(territory=paris, email=EMAIL, user=volunteer.user)
    InboundMessage.objects.create(message_sid="SM" + "4" * 32, sender=PHONE, body="AIDE 75011")
    SmsOptOut.objects.create(phone=PHONE)
    CallerNote.objects.create(phone=PHONE, text="Rappeler lundi")
    outbox.outbox_enqueue(channel="email", recipient=EMAIL, body="Bonjour", delivery_key="k1")

    key = data_rights.person_key(phone=PHONE, email=EMAIL)
    export = data_rights.personal_data_export(key=key, actor=None, purpose="test")
    empty = sorted(name for name, rows in export.sources.items() if not rows)
    expected_empty = {"courtesy_calls", "escalations", "contact_proofs", "sign_in_logs"}
    assert set(empty) <= expected_empty, empty
    assert EMAIL in json.dumps(export.sources["bulletin_subscriptions"], default=str)

    data_rights.personal_data_erase(key=key, actor=None, purpose="test")
    for label, fields in personal_models().items():
        if SOURCE_OF_MODEL[label] is None:
            continue
        model = apps.get_model(label)
        for field in fields:
            for value in (PHONE, EMAIL):
                remaining = model.objects.filter(**{field: value})
                if label == "channels.SmsOptOut":
                    continue  # "never text this number again" must survive an erasure
                assert not remaining.exists(), (label, field, value)
