"""Importing an HSDS 3.0 data package: drafts for review, safe to re-run, a round trip
that reproduces the measures, published measures never overwritten, and bad packages
refused whole with a report."""

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from entraide.directory import services
from entraide.directory.hsds import importer
from entraide.directory.hsds.importer import hsds_import, measure_content
from entraide.directory.hsds.package import package_write_dir
from entraide.directory.models import (
    Measure,
    MeasureProposal,
    MeasureSchedule,
    MeasureVersion,
    ProposalStatus,
)
from entraide.directory.states import MeasureState
from entraide.people.models import Organisation

from .hsds_helpers import organisation as make_org
from .hsds_helpers import published


@pytest.fixture
def exported(paris, coordinator, tmp_path) -> Path:
    org = make_org()
    zones = tuple(paris.zones.filter(code__in=["75011", "75012"]).order_by("code"))
    published(
        paris,
        coordinator,
        organisation=org,
        zones=zones,
        hours=[("MO", (9, 0), (12, 0)), ("FR", (13, 30), (18, 0))],
    )
    published(
        paris,
        coordinator,
        title="Aide au loyer pour les ménages touchés",
        level="provincial",
        themes=("housing", "income"),
        deadline=None,
        languages=("fr", "ar"),
        source_url="https://www.example.org/loyer",
    )
    folder = tmp_path / "package"
    package_write_dir(folder)
    return folder


def _portable(content: dict) -> dict:
    """A measure's content without the database's own organisation key."""
    return {key: value for key, value in content.items() if key != "organisation"}


def _empty_deployment():
    """What another deployment starts with: no measure, no organisation."""
    Measure.objects.all().delete()
    Organisation.objects.all().delete()


def test_round_trip_into_an_empty_deployment_reproduces_the_measures(
    exported, paris, coordinator, tmp_path
):
    before = {
        m.title: (_portable(measure_content(m)), m.organisation.name if m.organisation else None)
        for m in Measure.objects.all()
    }
    first_export = (exported / "services.csv").read_text(encoding="utf-8")
    _empty_deployment()
    with override_settings(ENTRAIDE_PUBLIC_BASE_URL="https://autre.example.org"):
        report = hsds_import(source=exported, territory=paris, actor=coordinator)
        assert report.applied, report.lines()
        assert len(report.created) == 2 and not report.rejected
        after = {
            m.title: (
                _portable(measure_content(m)),
                m.organisation.name if m.organisation else None,
            )
            for m in Measure.objects.all()
        }
        assert after == before
        assert set(Measure.objects.values_list("state", flat=True)) == {MeasureState.DRAFT}
        # Published again in the new deployment, the export gives the same services back.
        for measure in Measure.objects.all():
            services.measure_transition(
                measure=measure, to_state=MeasureState.PENDING_REVIEW, actor=coordinator
            )
            services.measure_transition(
                measure=measure, to_state=MeasureState.PUBLISHED, actor=coordinator
            )
        again = tmp_path / "again"
        package_write_dir(again)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(first_export))}
    rows_again = {
        r["id"]: r
        for r in csv.DictReader(io.StringIO((again / "services.csv").read_text(encoding="utf-8")))
    }
    assert rows.keys() == rows_again.keys()
    for key, row in rows.items():
        for column in ("name", "description", "url", "eligibility_description", "status"):
            assert row[column] == rows_again[key][column]


def test_running_the_same_package_twice_changes_nothing(exported, paris, coordinator):
    _empty_deployment()
    hsds_import(source=exported, territory=paris, actor=coordinator)
    versions = MeasureVersion.objects.count()
    report = hsds_import(source=exported, territory=paris, actor=coordinator)
    assert report.applied and len(report.unchanged) == 2
    assert not (report.created or report.updated or report.proposed)
    assert MeasureVersion.objects.count() == versions
    assert Measure.objects.count() == 2 and Organisation.objects.count() == 1


def test_a_changed_draft_gets_a_new_version(exported, paris, coordinator):
    _empty_deployment()
    hsds_import(source=exported, territory=paris, actor=coordinator)
    _edit(
        exported,
        "services.csv",
        "Aide au loyer pour les ménages touchés",
        "name",
        "Aide au loyer 2026",
    )
    report = hsds_import(source=exported, territory=paris, actor=coordinator)
    assert [o.name for o in report.updated] == ["Aide au loyer 2026"]
    measure = Measure.objects.get(title="Aide au loyer 2026")
    assert measure.version == 2 and measure.state == MeasureState.DRAFT


def _edit(folder: Path, file: str, match: str, column: str, value: str) -> None:
    path = folder / file
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows:
        if match in row.values():
            row[column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_a_published_measure_is_never_overwritten_only_proposed(
    exported, paris, coordinator, client
):
    """Re-importing into the deployment that published it: our own ids are recognised."""
    measure = Measure.objects.get(title="Aide au loyer pour les ménages touchés")
    _edit(exported, "services.csv", measure.title, "description", "Un tout autre résumé du loyer.")
    report = hsds_import(source=exported, territory=paris, actor=coordinator, label="211 Est")
    assert [o.measure_id for o in report.proposed] == [measure.pk]
    assert len(report.unchanged) == 1
    measure.refresh_from_db()
    assert measure.summary != "Un tout autre résumé du loyer."
    assert measure.state == MeasureState.PUBLISHED and measure.version == 1
    again = hsds_import(source=exported, territory=paris, actor=coordinator, label="211 Est")
    assert len(again.unchanged) == 2 and MeasureProposal.objects.count() == 1

    client.force_login(coordinator)
    page = client.get(reverse("interop:proposals"))
    assert page.status_code == 200
    assert "Un tout autre résumé du loyer." in page.content.decode()
    proposal = MeasureProposal.objects.get()
    response = client.post(
        reverse("interop:proposal_decide", args=[proposal.pk]), {"decision": "apply"}
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.summary == "Un tout autre résumé du loyer."
    assert measure.state == MeasureState.PUBLISHED and measure.version == 2
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPLIED and proposal.decided_by == coordinator
    second = client.post(
        reverse("interop:proposal_decide", args=[proposal.pk]), {"decision": "apply"}, follow=True
    )
    assert "déjà été traitée" in second.content.decode()


def test_a_dismissed_proposal_leaves_the_measure(exported, paris, coordinator, partner, client):
    measure = Measure.objects.get(title="Aide au loyer pour les ménages touchés")
    _edit(exported, "services.csv", measure.title, "description", "Autre résumé du loyer ici.")
    hsds_import(source=exported, territory=paris, actor=coordinator)
    proposal = MeasureProposal.objects.get()
    client.force_login(partner)
    url = reverse("interop:proposal_decide", args=[proposal.pk])
    assert client.post(url, {"decision": "apply"}).status_code == 403
    client.force_login(coordinator)
    client.post(url, {"decision": "dismiss"})
    proposal.refresh_from_db()
    measure.refresh_from_db()
    assert proposal.status == ProposalStatus.DISMISSED
    assert measure.summary != "Autre résumé du loyer ici." and measure.version == 1


def test_only_coordinators_import(exported, paris, partner):
    with pytest.raises(PermissionDenied):
        hsds_import(source=exported, territory=paris, actor=partner)


def _assert_nothing_stored(counts_before: tuple[int, int, int]) -> None:
    assert (
        Measure.objects.count(),
        Organisation.objects.count(),
        MeasureSchedule.objects.count(),
    ) == counts_before


def _counts() -> tuple[int, int, int]:
    return Measure.objects.count(), Organisation.objects.count(), MeasureSchedule.objects.count()


def _import_expecting(folder, paris, coordinator, *fragments):
    before = _counts()
    report = hsds_import(source=folder, territory=paris, actor=coordinator)
    assert not report.applied and not report.ok
    text = "\n".join(report.lines())
    for fragment in fragments:
        assert fragment in text, text
    _assert_nothing_stored(before)
    return report


@pytest.fixture
def foreign(exported):
    """The package as another deployment would receive it: nothing matches locally."""
    _empty_deployment()
    return exported


def test_missing_required_fields(foreign, paris, coordinator):
    _edit(foreign, "services.csv", "Aide au loyer pour les ménages touchés", "name", "")
    _import_expecting(foreign, paris, coordinator, "services.csv, ligne 3", "« name »")


def test_unknown_enumerations(foreign, paris, coordinator):
    _edit(foreign, "services.csv", "active", "status", "ouvert")
    _import_expecting(foreign, paris, coordinator, "« ouvert »", "status")


def test_unknown_theme_and_past_deadline_are_rejected_with_reasons(foreign, paris, coordinator):
    path = foreign / "taxonomy_terms.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("theme:income", "theme:astrologie"),
        encoding="utf-8",
    )
    _edit(foreign, "attributes.csv", "deadline", "value", "2001-01-01")
    report = _import_expecting(foreign, paris, coordinator, "astrologie", "deadline")
    assert {o.name for o in report.rejected} == {
        "Aide au loyer pour les ménages touchés",
        "Aide alimentaire d'urgence",
    }


def test_broken_csv(foreign, paris, coordinator):
    (foreign / "schedules.csv").write_text('id,service_id\n"abc"def,"x\n', encoding="utf-8")
    _import_expecting(foreign, paris, coordinator, "schedules.csv")


def test_rows_with_the_wrong_number_of_columns(foreign, paris, coordinator):
    path = foreign / "languages.csv"
    path.write_text(path.read_text(encoding="utf-8") + "a,b,c,d,e,f,g,h,i,j\n", encoding="utf-8")
    _import_expecting(foreign, paris, coordinator, "languages.csv, ligne", "colonnes")


def test_duplicate_identifiers(foreign, paris, coordinator):
    path = foreign / "services.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    _import_expecting(foreign, paris, coordinator, "apparaît deux fois")


def test_not_utf8(foreign, paris, coordinator):
    (foreign / "services.csv").write_bytes("id,name\n1,Café\n".encode("latin-1"))
    _import_expecting(foreign, paris, coordinator, "UTF-8")


def test_too_large(foreign, paris, coordinator, monkeypatch, tmp_path):
    monkeypatch.setattr(importer, "MAX_BYTES", 1000)
    _import_expecting(foreign, paris, coordinator, "50 Mo")
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("services.csv", "x" * 5000)
    _import_expecting(archive, paris, coordinator, "50 Mo")


def test_not_a_package(paris, coordinator, tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    _import_expecting(junk, paris, coordinator, "zip")
    empty = tmp_path / "empty"
    empty.mkdir()
    _import_expecting(empty, paris, coordinator, "services.csv")


def test_a_zip_imports_like_a_folder(foreign, paris, coordinator, tmp_path):
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for path in foreign.iterdir():
            handle.write(path, arcname=f"export/{path.name}")
    report = hsds_import(source=archive, territory=paris, actor=coordinator)
    assert report.applied and len(report.created) == 2


def test_the_command_reports_in_french_and_fails_on_bad_input(foreign, paris, coordinator, partner):
    out = io.StringIO()
    call_command(
        "hsds_import", str(foreign), "--user", coordinator.username, "--dry-run", stdout=out
    )
    assert Measure.objects.count() == 0
    call_command("hsds_import", str(foreign), "--user", coordinator.username, stdout=out)
    assert Measure.objects.count() == 2
    with pytest.raises(CommandError):
        call_command("hsds_import", str(foreign), "--user", partner.username, stdout=out)
    _edit(foreign, "services.csv", "active", "status", "ouvert")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("hsds_import", str(foreign), "--user", coordinator.username, stdout=out)
    assert "Rien n'a été importé" in out.getvalue()
