from io import StringIO

from django.core.management import call_command

from entraide.channels.flow import CATEGORY_PAGES, PHONE_FLOW
from entraide.needs.categories import PUBLIC_CODES, SENSITIVE_CODES
from entraide.needs.models import HelpRequest


def test_the_menu_offers_every_public_need_and_no_sensitive_one():
    offered = [code for page in CATEGORY_PAGES for code in page]
    assert sorted(offered) == sorted(PUBLIC_CODES)
    assert not set(offered) & SENSITIVE_CODES
    assert all(len(page) <= 3 for page in CATEGORY_PAGES)


def test_phone_simulate_plays_a_scripted_call_in_process(paris):
    out = StringIO()
    call_command("phone_simulate", script="2,1,75011,1,1,2,1,-", stdout=out)
    text = out.getvalue()
    reference = HelpRequest.objects.get().reference
    assert "[en-GB] To ask for help: press 1." in text
    assert ", ".join(reference) in text
    assert "hang up" in text


def test_phone_simulate_sends_sms_and_shows_the_queued_confirmation(paris):
    out = StringIO()
    call_command("phone_simulate", sms=["HELP 75011 GROCERIES"], stdout=out)
    reference = HelpRequest.objects.get().reference
    assert f"(outbox) Entraide: your request {reference}" in out.getvalue()


def test_phone_prompts_lists_every_step_in_every_language(db):
    out = StringIO()
    call_command("phone_prompts", stdout=out)
    text = out.getvalue()
    for language in ("fr", "en", "es", "ca", "pt"):
        assert f"== {language}" in text
    shown = {line.split("]")[0][1:] for line in text.splitlines() if line.startswith("[")}
    assert shown == set(PHONE_FLOW.steps) - {PHONE_FLOW.human}
