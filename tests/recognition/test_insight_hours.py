"""Coordinators see volunteering hours per zone, organisation and kind of help on the
dashboard and in an audited CSV export that names nobody."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from entraide.people.models import Organisation
from entraide.platform.models import AuditLog
from entraide.recognition import services
from entraide.recognition.selectors import hours_summary


def _hours(volunteer, key, minutes, **extra):
    return services.hours_record(
        volunteer=volunteer,
        source="shift" if extra.get("organisation") else "assignment",
        source_key=key,
        minutes=minutes,
        worked_on=timezone.localdate() - dt.timedelta(days=1),
        confirmed=extra.pop("confirmed", True),
        **extra,
    )


def test_dashboard_and_export_show_hours_without_names(
    client, make_volunteer, zone_11, zone_12, coordinator
):
    resto = Organisation.objects.create(name="Resto solidaire", kind="association")
    amina, bruno = make_volunteer(first_name="Amina"), make_volunteer(first_name="Bruno")
    _hours(amina, "a:1", 90, zone=zone_11, category="groceries")
    _hours(bruno, "s:1", 180, zone=zone_11, organisation=resto, category="food_parcel")
    _hours(bruno, "a:2", 30, zone=zone_11, category="groceries", confirmed=False)
    _hours(bruno, "a:3", 600, zone=zone_12, category="groceries")  # another zone
    today = timezone.localdate()
    summary = hours_summary(zone_ids=[zone_11.pk], first=today - dt.timedelta(days=7), last=today)
    assert (summary.total_minutes, summary.waiting_minutes, summary.volunteers) == (270, 30, 2)
    assert [row.label for row in summary.by_organisation] == [
        "Resto solidaire",
        "La ville (aide entre voisins)",
    ]
    assert {row.label for row in summary.by_category} == {"Courses", "Colis d'aide alimentaire"}

    client.force_login(coordinator)
    page = client.get(reverse("insight:dashboard")).content.decode()
    assert 'id="hours"' in page and "4 h 30" in page and "Resto solidaire" in page
    assert "Amina" not in page and "Bruno" not in page
    response = client.get(reverse("insight:export_hours"), {"period": "7d"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert "Type d'aide,Heures confirmées,Interventions,Bénévoles" in lines[0]
    assert any("Resto solidaire" in line and ",3.0," in line for line in lines)
    assert any("La ville" in line and ",1.5," in line for line in lines)
    assert "75012" not in text and "Amina" not in text and "Bruno" not in text
    row = AuditLog.objects.get(action="export_hours")
    assert row.actor == coordinator and row.purpose == "aggregated, without names"
