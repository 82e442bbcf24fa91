"""The directory's pages and API: public lists, forms with errors, permissions."""

import datetime as dt

from django.utils import timezone

from entraide.directory.models import Measure, Practice
from entraide.directory.seed_practices import PRACTICES


def test_public_list_empty_state_and_search(client, paris, publish):
    assert "Aucune mesure" in client.get("/directory/").content.decode()
    publish(title="Aide au logement d'urgence")
    page = client.get("/directory/", {"q": "logement", "open": "on"}).content.decode()
    assert "Aide au logement d&#x27;urgence" in page
    assert "Aucune mesure ne correspond" in client.get("/directory/", {"q": "zzz"}).content.decode()


def test_drafts_are_hidden_from_the_public(client, paris, partner):
    client.force_login(partner)
    response = client.post(
        "/directory/measures/new/",
        {
            "title": "Aide au loyer",
            "summary": "Une aide pour payer le loyer.",
            "level": "provincial",
            "themes": ["housing"],
            "eligibility": "Locataires.",
            "benefits": "Trois mois de loyer.",
            "how_to_apply": "En ligne.",
            "source_url": "https://www.example.org/loyer",
            "language": "fr",
            "submit": "1",
        },
    )
    measure = Measure.objects.get()
    assert response.status_code == 302
    assert measure.state == "pending_review"
    client.logout()
    assert client.get(f"/directory/measures/{measure.pk}/").status_code == 404


def test_form_errors_are_shown_and_nothing_is_stored(client, paris, partner):
    client.force_login(partner)
    response = client.post(
        "/directory/measures/new/",
        {
            "title": "Aide au loyer",
            "summary": "Une aide pour payer le loyer.",
            "level": "provincial",
            "themes": ["housing"],
            "eligibility": "Locataires.",
            "benefits": "Trois mois.",
            "how_to_apply": "En ligne.",
            "source_url": "quebec point ca",
            "deadline": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
            "language": "fr",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cette date est déjà passée." in page
    assert "« quebec point ca » n&#x27;est pas une adresse web" in page
    assert Measure.objects.count() == 0


def test_a_link_typed_without_https_is_stored_with_it(client, paris, partner):
    client.force_login(partner)
    client.post(
        "/directory/measures/new/",
        {
            "title": "Aide au loyer",
            "summary": "Une aide pour payer le loyer.",
            "level": "provincial",
            "themes": ["housing"],
            "eligibility": "Locataires.",
            "benefits": "Trois mois.",
            "how_to_apply": "En ligne.",
            "source_url": "  www.quebec.ca/aide-loyer ",
            "language": "fr",
        },
    )
    assert Measure.objects.get().source_url == "https://www.quebec.ca/aide-loyer"


def test_a_sent_back_proposal_tells_the_partner_why(client, paris, partner, coordinator):
    from entraide.directory import services

    from .conftest import measure_input

    measure = services.measure_create(
        territory=paris, data=measure_input(), actor=partner, submit=True
    )
    client.force_login(coordinator)
    url = f"/directory/measures/{measure.pk}/state/"
    client.post(url, {"to": "draft", "reason": ""})
    measure.refresh_from_db()
    assert measure.state == "pending_review"
    client.post(url, {"to": "draft", "reason": "Ajoutez les horaires d'ouverture."})
    measure.refresh_from_db()
    assert measure.state == "draft"
    client.force_login(partner)
    mine = client.get("/directory/measures/mine/").content.decode()
    assert "Renvoyée : Ajoutez les horaires d&#x27;ouverture." in mine
    detail = client.get(f"/directory/measures/{measure.pk}/").content.decode()
    assert "Renvoyée par un coordinateur :" in detail
    assert "Première version" in detail and ">created<" not in detail


def test_residents_cannot_propose(client, paris, resident):
    client.force_login(resident)
    assert client.get("/directory/measures/new/").status_code == 403
    assert client.get("/directory/review/").status_code == 403
    client.logout()
    assert client.get("/directory/measures/new/").status_code == 302


def test_seeded_practices_name_their_source(client, db):
    assert Practice.objects.filter(state="published").count() == len(PRACTICES)
    assert not Practice.objects.exclude(source_document__endswith=".txt").exists()
    page = client.get("/directory/practices/", {"q": "Namur"}).content.decode()
    assert "Gardons le contact" in page
    assert (
        "000_fafdf7020c7bd6b0.txt"
        in client.get(
            f"/directory/practices/{Practice.objects.get(title__startswith='Gardons').pk}/"
        ).content.decode()
    )


def test_api_lists_and_filters(api, paris, publish):
    publish(title="Aide au logement", themes=("housing",))
    publish(title="Colis alimentaires")
    body = api.get("/api/v1/directory/measures/", {"q": "logement"}).json()
    assert [m["title"] for m in body["results"]] == ["Aide au logement"]
    body = api.get("/api/v1/directory/measures/", {"theme": "food_security"}).json()
    assert [m["title"] for m in body["results"]] == ["Colis alimentaires"]
    error = api.get("/api/v1/directory/measures/", {"level": "galactic"}).json()
    assert error["error"]["code"] == "invalid"
    body = api.get("/api/v1/directory/practices/", {"theme": "mutual_aid"}).json()
    assert body["count"] == sum(1 for p in PRACTICES if p[3] == "mutual_aid")


def test_coordinator_pages(client, coordinator, paris):
    client.force_login(coordinator)
    for url in ("/directory/review/", "/directory/duplicates/", "/directory/actions/"):
        assert client.get(url).status_code == 200


def test_editing_shows_every_mistake_and_keeps_the_measure(client, paris, partner, publish):
    from entraide.directory.models import MeasureVersion

    from .conftest import measure_input

    measure = publish()
    measure.created_by = partner
    measure.save(update_fields=["created_by"])
    fields = {
        **{k: v for k, v in vars(measure_input()).items() if isinstance(v, str)},
        "themes": ["food_security"],
        "language": "fr",
    }
    url = f"/directory/measures/{measure.pk}/edit/"
    client.force_login(partner)
    page = client.post(url, {**fields, "summary": "", "source_url": "pas un lien"})
    text = page.content.decode()
    assert "Ce champ est obligatoire." in text and "n&#x27;est pas une adresse web" in text
    assert MeasureVersion.objects.filter(measure=measure).count() == 1
    client.post(url, {**fields, "source_url": "example.org/nouvelle-page"})
    measure.refresh_from_db()
    assert measure.source_url == "https://example.org/nouvelle-page"
    assert (measure.version, measure.state) == (2, "pending_review")
