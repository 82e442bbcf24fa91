"""The weekly bulletin: content, sending through the outbox, unsubscribe, feed."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from entraide.directory import bulletins, services, tasks
from entraide.directory.models import Bulletin, BulletinStatus, Practice
from entraide.directory.states import PracticeState
from entraide.platform.models import AuditLog, OutboxMessage
from tests.worker import run_queued_tasks

from .conftest import measure_input


@pytest.fixture
def week(paris, publish, make_request, coordinator, zone_11):
    """One week in Paris: a measure published before, changed during; a new one; a
    measure closing in five days; a new practice; three requests (one sensitive)."""
    now = timezone.now()
    old = publish(title="Mesure ancienne")
    Practice.objects.update(published_at=now - dt.timedelta(days=30))
    type(old).objects.filter(pk=old.pk).update(published_at=now - dt.timedelta(days=20))
    services.measure_update(
        measure=old, data=measure_input(title="Mesure ancienne, révisée"), actor=coordinator
    )
    publish(title="Nouvelle mesure", deadline=None)
    publish(title="Mesure qui ferme", deadline=timezone.localdate() + dt.timedelta(days=5))
    practice = services.practice_propose(
        actor=coordinator,
        data=services.PracticeInput(
            title="Appels de courtoisie",
            city="Namur",
            country="Belgique",
            theme="vulnerable",
            description="Le CPAS appelle les aînés isolés chaque semaine.",
            source="000_fafdf7020c7bd6b0.txt",
        ),
    )
    services.practice_transition(
        practice=practice, to_state=PracticeState.PUBLISHED, actor=coordinator
    )
    make_request()
    make_request(category="medicines")
    make_request(category="distress")
    return now


def test_composed_content(week, paris):
    content = bulletins.bulletin_compose(
        territory=paris, start=week - dt.timedelta(days=7), end=week + dt.timedelta(minutes=1)
    )
    assert [m["title"] for m in content["new_measures"]] == [
        "Mesure qui ferme",
        "Nouvelle mesure",
    ]
    assert [m["title"] for m in content["changed_measures"]] == ["Mesure ancienne, révisée"]
    assert [m["title"] for m in content["closing_soon"]] == ["Mesure qui ferme"]
    assert [p["title"] for p in content["new_practices"]] == ["Appels de courtoisie"]
    assert content["needs"] == [
        {"zone": "75011", "name": "Paris 11", "new": 2, "open": 2, "waiting": 0}
    ]


def test_sent_to_subscribers_in_their_language_once(week, paris, coordinator):
    french = services.subscription_create(territory=paris, email="a@example.org", language="fr")
    english = services.subscription_create(territory=paris, email="B@Example.org", language="en")
    gone = services.subscription_create(territory=paris, email="c@example.org", language="fr")
    services.subscription_cancel(subscription=gone)
    draft = bulletins.bulletin_draft_compose(territory=paris, actor=coordinator)
    assert bulletins.bulletin_send(bulletin_id=draft.pk) == 0
    bulletin = bulletins.bulletin_publish(bulletin=draft, actor=coordinator)
    assert bulletins.bulletin_send(bulletin_id=bulletin.pk) == 2
    assert bulletins.bulletin_send(bulletin_id=bulletin.pk) == 2
    messages = {m.recipient: m for m in OutboxMessage.objects.all()}
    assert sorted(messages) == ["a@example.org", "b@example.org"]
    fr, en = messages["a@example.org"], messages["b@example.org"]
    assert fr.delivery_key == f"bulletin:{bulletin.pk}:{french.pk}"
    assert en.delivery_key == f"bulletin:{bulletin.pk}:{english.pk}"
    assert fr.subject.startswith("Bulletin de Paris")
    assert en.subject.startswith("Bulletin of Paris")
    assert "Nouvelles mesures d'aide" in fr.body
    assert "Closing soon" in en.body and "<table>" in en.body_html
    assert "Odette" not in fr.body + fr.body_html
    assert "06 12" not in fr.body + fr.body_html
    token = re.search(r"/directory/bulletins/unsubscribe/([^/]+)/", fr.body).group(1)
    assert bulletins.subscription_from_token(token) == french
    bulletin.refresh_from_db()
    assert bulletin.status == "sent"


def test_one_click_unsubscribe(client, paris):
    subscription = services.subscription_create(
        territory=paris, email="a@example.org", language="fr"
    )
    url = f"/directory/bulletins/unsubscribe/{bulletins.unsubscribe_token(subscription)}/"
    page = client.get(url)
    assert page.status_code == 200
    subscription.refresh_from_db()
    assert subscription.active
    client.post(url)
    subscription.refresh_from_db()
    assert not subscription.active
    assert client.get("/directory/bulletins/unsubscribe/forged-token/").status_code == 404


def test_weekly_task_composes_a_draft_and_sends_nothing(paris, coordinator, publish):
    services.subscription_create(territory=paris, email="a@example.org", language="fr")
    publish(title="Nouvelle mesure")
    now = timezone.now()
    assert tasks.compose_weekly_bulletins.call() == 1
    draft = Bulletin.objects.get()
    assert draft.status == BulletinStatus.DRAFT and draft.published_at is None
    assert [m["title"] for m in draft.content["new_measures"]] == ["Nouvelle mesure"]
    assert bulletins.bulletins_weekly(now=now) == []  # safe to run twice
    assert bulletins.bulletins_weekly(now=now + dt.timedelta(days=8)) == []  # draft waits
    assert Bulletin.objects.count() == 1
    assert not OutboxMessage.objects.exists()
    assert not bulletins.published_bulletins().exists()


def test_scheduler_at_start_up_sends_no_bulletin(paris, publish):
    """``run_scheduler --once`` is what a start-up does; the worker then runs the queue."""
    services.subscription_create(territory=paris, email="a@example.org", language="fr")
    publish(title="Nouvelle mesure")
    call_command("run_scheduler", "--once")
    assert DBTaskResult.objects.filter(task_path__endswith="compose_weekly_bulletins").exists()
    run_queued_tasks()
    assert Bulletin.objects.get().status == BulletinStatus.DRAFT
    assert not OutboxMessage.objects.filter(delivery_key__startswith="bulletin:").exists()


def test_only_a_coordinator_publishes_and_only_once(paris, coordinator, partner):
    draft = bulletins.bulletin_draft_compose(territory=paris)
    with pytest.raises(PermissionDenied):
        bulletins.bulletin_publish(bulletin=draft, actor=partner)
    published = bulletins.bulletin_publish(bulletin=draft, actor=coordinator)
    assert published.status == BulletinStatus.SENDING and published.published_by == coordinator
    assert AuditLog.objects.filter(
        action="directory.bulletin_publish", subject=f"bulletin:{draft.pk}"
    ).exists()
    with pytest.raises(ValidationError):
        bulletins.bulletin_publish(bulletin=draft, actor=coordinator)
    # The next draft starts where the published one ended.
    assert bulletins.bulletin_draft_compose(territory=paris).period_start == draft.period_end


@pytest.mark.django_db(transaction=True)
def test_coordinator_preview_then_public_page_and_feed(client, week, paris, coordinator, partner):
    services.subscription_create(territory=paris, email="a@example.org", language="fr")
    client.force_login(partner)
    assert client.get("/directory/bulletins/preview/").status_code == 403
    client.force_login(coordinator)
    empty = client.get("/directory/bulletins/preview/").content.decode()
    assert "Aucun brouillon" in empty
    client.post("/directory/bulletins/preview/", {"action": "refresh"})
    draft = Bulletin.objects.get()
    preview = client.get("/directory/bulletins/preview/").content.decode()
    assert "Nouvelle mesure" in preview and "Publier et envoyer" in preview
    assert client.get(f"/directory/bulletins/{draft.pk}/").status_code == 404
    assert f"/directory/bulletins/{draft.pk}/" not in client.get("/directory/bulletins/feed/")
    response = client.post(
        "/directory/bulletins/preview/", {"action": "publish", "bulletin": draft.pk}
    )
    assert response.status_code == 302
    run_queued_tasks()
    assert OutboxMessage.objects.filter(recipient="a@example.org").count() == 1
    client.logout()
    page = client.get(f"/directory/bulletins/{draft.pk}/")
    assert "Mesure qui ferme" in page.content.decode()
    feed = client.get("/directory/bulletins/feed/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert f"/directory/bulletins/{draft.pk}/" in feed.content.decode()
