import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command

from entraide.territory.models import Postcode, Zone
from entraide.territory.selectors import zone_for_postcode
from entraide.territory.services import zones_import_laposte


def test_paris_gives_twenty_arrondissements_with_their_postcodes(paris):
    zones = Zone.objects.filter(territory=paris)
    assert zones.count() == 20
    assert sorted(zones.values_list("code", flat=True)) == [f"750{n:02d}" for n in range(1, 21)]
    assert Postcode.objects.filter(territory=paris).count() == 21
    assert zone_for_postcode(postcode="75116").code == "75016"
    assert zone_for_postcode(postcode="75016").name == "Paris 16"
    assert "La Poste" in paris.data_attribution


def test_import_twice_changes_nothing(paris):
    report = zones_import_laposte(
        path=settings.ENTRAIDE_POSTCODE_FILE,
        territory_name="Paris",
        territory_slug="paris",
        communes=["PARIS"],
    )
    assert (report.zones_created, report.zones_updated) == (0, 20)
    assert Zone.objects.count() == 20


def test_import_by_department_prefix(db):
    report = zones_import_laposte(
        path=settings.ENTRAIDE_POSTCODE_FILE,
        territory_name="Rhône",
        territory_slug="rhone",
        departments=["69"],
    )
    assert report.zones_created > 200
    assert zone_for_postcode(postcode="69001", territory=report.territory).name == "Lyon 01"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("75999", "unknown_postcode"),
        ("69001", "unknown_postcode"),
        ("7501", "malformed_postcode"),
        ("abcde", "malformed_postcode"),
        ("", "malformed_postcode"),
    ],
)
def test_postcode_lookup_errors(paris, typed, code):
    with pytest.raises(ValidationError) as error:
        zone_for_postcode(postcode=typed)
    assert error.value.code == code


def test_unknown_postcode_message_names_the_postcode(paris):
    with pytest.raises(ValidationError) as error:
        zone_for_postcode(postcode="75999")
    assert "75999" in error.value.messages[0]


def test_import_command_rejects_an_empty_selection(no_territory):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("import_zones", territory="Nowhere", commune=["ATLANTIS"], verbosity=0)
    assert Zone.objects.count() == 0
