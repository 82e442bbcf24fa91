"""The volunteer's hours page, the coordinators' page of hours to confirm, the PDF
certificate (parsed) and its public check, which never names the person."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from entraide.platform.models import AuditLog
from entraide.recognition import services
from entraide.recognition.models import Certificate, HoursEntry


def _entry(volunteer, key, minutes, *, confirmed, days_ago=3, **extra):
    return services.hours_record(
        volunteer=volunteer,
        source="assignment",
        source_key=key,
        minutes=minutes,
        worked_on=timezone.localdate() - dt.timedelta(days=days_ago),
        confirmed=confirmed,
        **extra,
    )


@pytest.fixture
def volunteer(make_volunteer, django_user_model):
    volunteer = make_volunteer()
    volunteer.user.first_name, volunteer.user.last_name = "Amina", "Benali"
    volunteer.user.save()
    return volunteer


def test_history_page_empty_then_totals_per_month_and_organisation(client, volunteer, zone_11):
    from entraide.people.models import Organisation

    client.force_login(volunteer.user)
    page = client.get(reverse("recognition:hours")).content.decode()
    assert "Pas encore d'heures" in page
    resto = Organisation.objects.create(name="Restos du Cœur 11e", kind="association")
    _entry(volunteer, "a:1", 90, confirmed=True, zone=zone_11)
    _entry(volunteer, "a:2", 45, confirmed=False, zone=zone_11)
    _entry(volunteer, "s:1", 180, confirmed=True, organisation=resto, days_ago=40)
    page = client.get(reverse("recognition:hours")).content.decode()
    assert "4 h 30" in page  # confirmed total
    assert "0 h 45" in page  # waiting
    assert "Restos du Cœur 11e" in page and "La ville (aide entre voisins)" in page
    assert "Heures par mois" in page and "À confirmer" in page and "Confirmées" in page


def test_volunteer_corrects_a_waiting_entry_from_the_page(client, volunteer):
    entry = _entry(volunteer, "a:1", 60, confirmed=False)
    client.force_login(volunteer.user)
    answer = client.post(
        reverse("recognition:hours_adjust", args=[entry.pk]), {"minutes": "1:45"}, follow=True
    )
    assert "Votre temps est mis à jour" in answer.content.decode()
    entry.refresh_from_db()
    assert entry.minutes == 105
    answer = client.post(
        reverse("recognition:hours_adjust", args=[entry.pk]), {"minutes": "2000"}, follow=True
    )
    assert "24 heures" in answer.content.decode()
    entry.refresh_from_db()
    assert entry.minutes == 105


def test_coordinator_confirms_or_rejects_only_in_their_zones(
    client, volunteer, zone_11, coordinator, coordinator_12
):
    entry = _entry(volunteer, "a:1", 60, confirmed=False, zone=zone_11)
    client.force_login(coordinator_12)
    assert (
        "Aucune heure en attente" in client.get(reverse("recognition:to_confirm")).content.decode()
    )
    denied = client.post(reverse("recognition:decide", args=[entry.pk, "confirm"]))
    assert denied.status_code == 404
    client.force_login(coordinator)
    page = client.get(reverse("recognition:to_confirm")).content.decode()
    assert volunteer.first_name in page and "1 h 00" in page
    answer = client.post(
        reverse("recognition:decide", args=[entry.pk, "confirm"]), {"minutes": "75"}, follow=True
    )
    assert "Heures confirmées" in answer.content.decode()
    entry.refresh_from_db()
    assert (entry.state, entry.minutes, entry.confirmed_by) == ("confirmed", 75, coordinator)
    assert AuditLog.objects.filter(action="recognition.hours_confirm", actor=coordinator).exists()
    client.force_login(volunteer.user)
    assert client.get(reverse("recognition:to_confirm")).status_code == 403


def test_certificate_pdf_and_its_public_check(client, volunteer, zone_11):
    _entry(volunteer, "a:1", 90, confirmed=True, zone=zone_11, days_ago=10)
    _entry(volunteer, "a:2", 60, confirmed=True, zone=zone_11, days_ago=5)
    _entry(volunteer, "a:3", 600, confirmed=False, zone=zone_11, days_ago=5)  # not counted
    _entry(volunteer, "a:4", 30, confirmed=True, zone=zone_11, days_ago=100)  # out of period
    client.force_login(volunteer.user)
    today = timezone.localdate()
    response = client.post(
        reverse("recognition:certificate"),
        {
            "period_start": (today - dt.timedelta(days=30)).isoformat(),
            "period_end": today.isoformat(),
        },
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Attestation de bénévolat" in text
    assert "Amina Benali" in text and "2 h 30" in text
    assert "La ville (aide entre voisins)" in text and "Paris" in text
    code = next(
        line.split(":", 1)[1].strip()
        for line in text.splitlines()
        if "Code de vérification" in line
    )
    assert len(code) == 19 and code.count("-") == 3
    certificate = Certificate.objects.get()
    assert code not in certificate.code_hash and len(certificate.code_hash) == 64
    assert (certificate.total_minutes, certificate.entry_count) == (150, 2)
    assert reverse("recognition:verify_code", args=[code]) in text.replace("\n", "")

    # Anyone checks it: period, total and date, never the person.
    client.logout()
    check = client.get(reverse("recognition:verify_code", args=[code]))
    body = check.content.decode()
    assert check.status_code == 200 and "Attestation valide" in body and "2 h 30" in body
    for personal in ("Amina", "Benali", volunteer.user.email, volunteer.code_word):
        assert personal not in body
    # Typed loosely in the form, it is found too.
    typed = client.get(reverse("recognition:verify"), {"code": code.lower().replace("-", " ")})
    assert typed.status_code == 302
    assert client.get(typed["Location"]).status_code == 200
    unknown = client.get(reverse("recognition:verify_code", args=["AAAA-BBBB-CCCC-DDDD"]))
    assert unknown.status_code == 404 and "Code inconnu" in unknown.content.decode()

    # Revoked by its holder: the page says so.
    client.force_login(volunteer.user)
    client.post(reverse("recognition:certificate_revoke", args=[certificate.pk]))
    client.logout()
    revoked = client.get(reverse("recognition:verify_code", args=[code])).content.decode()
    assert "révoquée" in revoked and "Attestation valide" not in revoked


def test_certificate_refuses_bad_periods_with_messages(client, volunteer):
    client.force_login(volunteer.user)
    today = timezone.localdate()
    empty = client.post(
        reverse("recognition:certificate"),
        {"period_start": today.isoformat(), "period_end": today.isoformat()},
    )
    assert empty.status_code == 400 and "Aucune heure confirmée" in empty.content.decode()
    wrong = client.post(
        reverse("recognition:certificate"),
        {
            "period_start": today.isoformat(),
            "period_end": (today + dt.timedelta(days=3)).isoformat(),
        },
    )
    assert "futur" in wrong.content.decode()
    missing = client.post(reverse("recognition:certificate"), {"period_start": "hier"})
    assert "premier jour" in missing.content.decode() and "dernier jour" in missing.content.decode()
    assert not Certificate.objects.exists()


def test_codes_are_random_and_only_hashes_are_kept(volunteer):
    _entry(volunteer, "a:1", 90, confirmed=True)
    today = timezone.localdate()
    codes = {
        services.certificate_issue(
            volunteer=volunteer, period_start=today - dt.timedelta(days=30), period_end=today
        )[1]
        for _ in range(20)
    }
    assert len(codes) == 20
    stored = set(Certificate.objects.values_list("code_hash", flat=True))
    assert not codes & stored
    assert HoursEntry.objects.count() == 1
