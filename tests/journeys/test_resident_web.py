"""Journey 1, the resident, through the Django test client on the real URLs: the rules
the browser test walks, each proved on its own (faster, and on both databases)."""

import re

import pytest
from django.urls import reverse

from entraide.matching import services as matching
from entraide.needs.models import HelpRequest
from entraide.platform.models import OutboxMessage

pytestmark = pytest.mark.django_db

FORM = {
    "zone": "75011",
    "category": "groceries",
    "description": "Des courses pour la semaine, merci.",
    "urgency": "1",
    "time_of_day": "any",
    "first_name": "Odette",
    "phone": "06 12 34 56 78",
    "email": "",
}


def _french(client):
    client.cookies["django_language"] = "fr"
    return client


def _link_path(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/request/\S+/)", body).group(1)


def test_every_missing_field_is_shown_after_one_submission(client, paris):
    page = _french(client).post(
        reverse("needs:request_create"),
        {**FORM, "zone": "", "description": "", "phone": ""},
    )
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert set(errors) >= {"zone", "description", "phone"}
    text = page.content.decode()
    assert "Choisissez votre quartier ou tapez votre code postal" in text
    assert "Ce champ est obligatoire" in text
    assert "Indiquez un numéro de téléphone ou une adresse e-mail" in text
    assert not HelpRequest.objects.exists() and not OutboxMessage.objects.exists()


def test_invalid_values_are_all_shown_at_once(client, paris):
    page = _french(client).post(
        reverse("needs:request_create"),
        {**FORM, "postcode": "99999", "zone": "", "phone": "12", "email": "not-an-email"},
    )
    errors = page.context["form"].errors
    assert set(errors) >= {"postcode", "phone", "email"}
    assert not HelpRequest.objects.exists() and not OutboxMessage.objects.exists()


def test_private_link_is_sent_by_sms_and_email_as_a_secret(client, paris):
    response = _french(client).post(
        reverse("needs:request_create"), {**FORM, "email": "odette@example.org"}
    )
    assert response.status_code == 302
    help_request = HelpRequest.objects.get()
    sms = OutboxMessage.objects.get(channel="sms", recipient="+33612345678")
    mail = OutboxMessage.objects.get(channel="email", recipient="odette@example.org")
    assert sms.secret and mail.secret
    assert help_request.reference in sms.body and "lien privé" in sms.body
    assert _link_path(sms.body) == _link_path(mail.body)
    page = client.get(response.url).content.decode()
    assert "Nous avons aussi envoyé ce lien" in page

    other = _french(type(client)())
    opened = other.get(_link_path(sms.body), follow=True)
    assert opened.status_code == 200 and help_request.reference in opened.content.decode()


def _request_with_link(client) -> tuple[HelpRequest, str]:
    _french(client).post(reverse("needs:request_create"), FORM)
    sms = OutboxMessage.objects.get(delivery_key__startswith="private-link:")
    return HelpRequest.objects.get(), _link_path(sms.body)


def test_lost_link_comes_back_with_a_code_sent_to_the_same_phone(client, paris):
    help_request, _link = _request_with_link(client)
    stranger = _french(type(client)())
    page = stranger.get(reverse("needs:request_page", args=[help_request.reference]))
    assert page.status_code == 404
    stranger.post(reverse("needs:lost_link"), {"contact": "06 12 34 56 78"})
    code_sms = OutboxMessage.objects.get(delivery_key__startswith="contact-proof:")
    assert code_sms.recipient == "+33612345678" and code_sms.secret
    assert "retrouver vos demandes" in code_sms.body
    code = re.search(r"\b(\d{6})\b", code_sms.body).group(1)
    wrong = stranger.post(reverse("needs:data_rights_code"), {"code": "000000"})
    assert "pas celui que nous avons envoyé" in wrong.content.decode()
    listed = stranger.post(reverse("needs:data_rights_code"), {"code": code}, follow=True)
    assert listed.request["PATH_INFO"] == reverse("needs:my_entries")
    assert help_request.reference in listed.content.decode()
    page = stranger.get(reverse("needs:request_page", args=[help_request.reference]))
    assert page.status_code == 200


def test_lost_link_without_proof_lists_nothing(client, paris):
    _request_with_link(client)
    response = _french(type(client)()).get(reverse("needs:my_entries"))
    assert response.status_code == 302 and response.url == reverse("needs:data_rights_start")


def test_resident_is_told_found_on_the_way_done_and_answers_once(
    client, paris, make_volunteer, django_capture_on_commit_callbacks
):
    volunteer = make_volunteer(first_name="Jeanne", code_word="tournesol")
    help_request, _link = _request_with_link(client)
    proposal = matching.match_propose_instant(help_request=help_request)
    matching.assignment_accept(assignment=proposal, volunteer=volunteer)
    found = OutboxMessage.objects.get(delivery_key=f"accepted:{proposal.pk}")
    assert (found.channel, found.recipient) == ("sms", "+33612345678")
    assert "Jeanne" in found.body and "tournesol" in found.body
    matching.assignment_start(assignment=proposal, volunteer=volunteer)
    on_the_way = OutboxMessage.objects.get(delivery_key=f"started:{proposal.pk}")
    assert "en route" in on_the_way.body and "tournesol" in on_the_way.body
    with django_capture_on_commit_callbacks(execute=True):
        matching.assignment_done(assignment=proposal, volunteer=volunteer)
    done = OutboxMessage.objects.get(delivery_key=f"done:{help_request.pk}")
    assert done.channel == "sms" and done.secret
    feedback_path = re.search(r"https?://[^/\s]+(/request/\S+/)", done.body).group(1)

    resident = _french(type(client)())
    question = resident.get(feedback_path, follow=True)
    assert "Avez-vous reçu l" in question.content.decode()
    resident.post(
        reverse("needs:request_feedback", args=[help_request.reference]), {"helped": "yes"}
    )
    help_request.refresh_from_db()
    assert help_request.feedback_helped is True and help_request.feedback_at
    again = resident.get(feedback_path, follow=True)
    assert "déjà été utilisé" in again.content.decode()
    resident.post(
        reverse("needs:request_feedback", args=[help_request.reference]), {"helped": "no"}
    )
    help_request.refresh_from_db()
    assert help_request.feedback_helped is True


def test_email_only_resident_is_told_by_email(client, paris, make_volunteer):
    volunteer = make_volunteer(first_name="Jeanne")
    _french(client).post(
        reverse("needs:request_create"), {**FORM, "phone": "", "email": "odette@example.org"}
    )
    help_request = HelpRequest.objects.get()
    proposal = matching.match_propose_instant(help_request=help_request)
    matching.assignment_accept(assignment=proposal, volunteer=volunteer)
    found = OutboxMessage.objects.get(delivery_key=f"accepted:{proposal.pk}")
    assert (found.channel, found.recipient) == ("email", "odette@example.org")


def test_cancel_from_the_page_the_link_opened(client, paris):
    help_request, link = _request_with_link(client)
    resident = _french(type(client)())
    resident.get(link)
    resident.post(reverse("needs:request_cancel_page", args=[help_request.reference]))
    help_request.refresh_from_db()
    assert help_request.status == "cancelled"


def test_coordinators_read_the_feedback_on_the_request_admin_page(
    client, paris, make_request, django_user_model
):
    help_request = make_request().entry
    HelpRequest.objects.filter(pk=help_request.pk).update(
        status="done", feedback_helped=False, feedback_at="2026-01-05T10:00:00Z"
    )
    admin = django_user_model.objects.create_superuser("chef@example.org", "chef@example.org")
    _french(client).force_login(admin)
    page = client.get(reverse("admin:needs_helprequest_change", args=[help_request.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "Avis de la personne aidée" in text
    assert "reçu l&#x27;aide nécessaire" in text
    assert 'name="feedback_helped"' not in text
