import datetime as dt
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entraide.care.models import CallStatus, CourtesyCall
from entraide.care.scheduling import Caller, CallSlot, assign
from entraide.care.services import courtesy_calls_schedule

from .conftest import MONDAY_9

BASE = dt.datetime(2030, 1, 7, 9, 0)
LANGUAGES = ("fr", "es", "pt")


@st.composite
def instances(draw):
    volunteers = draw(st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=12))
    calls = draw(
        st.lists(st.tuples(st.integers(0, 15), st.sampled_from(LANGUAGES)), min_size=0, max_size=60)
    )
    return volunteers, calls


@given(instances())
@settings(max_examples=150, deadline=None)
def test_assignment_properties(instance):
    volunteer_languages, call_specs = instance
    callers = [
        Caller(volunteer_id=i, languages=frozenset({lang}))
        for i, lang in enumerate(volunteer_languages)
    ]
    calls = [
        CallSlot(call_id=n, at=BASE + dt.timedelta(minutes=30 * slot), language=lang)
        for n, (slot, lang) in enumerate(call_specs)
    ]
    result = assign(calls, callers)
    by_id = {c.call_id: c for c in calls}
    speaks = dict(enumerate(volunteer_languages))

    # Language respected.
    assert all(speaks[v] == by_id[c].language for c, v in result.items())
    # No volunteer double-booked.
    booked = Counter((v, by_id[c].at) for c, v in result.items())
    assert max(booked.values(), default=1) == 1
    # A call is left only when every speaker of its language is busy at that time.
    for call in calls:
        if call.call_id not in result:
            speakers = [i for i, lang in speaks.items() if lang == call.language]
            busy = {v for c, v in result.items() if by_id[c].at == call.at}
            assert set(speakers) <= busy
    # Load within one call of the ideal, among the speakers of each language.
    load = Counter(result.values())
    for language in LANGUAGES:
        group = [i for i, lang in speaks.items() if lang == language]
        if not group:
            continue
        loads = [load[i] for i in group]
        ideal = sum(loads) / len(group)
        assert all(abs(x - ideal) < 1 for x in loads), (language, loads)


def test_the_least_constrained_call_gives_way():
    bilingual = Caller(volunteer_id=1, languages=frozenset({"fr", "ca"}))
    french = Caller(volunteer_id=2, languages=frozenset({"fr"}), load=5)
    at = BASE
    result = assign([CallSlot(1, at, "fr"), CallSlot(2, at, "ca")], [bilingual, french])
    assert result == {2: 1, 1: 2}


def test_volunteer_availability_is_respected():
    morning = Caller(
        volunteer_id=1, languages=frozenset({"fr"}), availability=frozenset({"mon:morning"})
    )
    result = assign([CallSlot(1, BASE.replace(hour=15), "fr")], [morning])
    assert result == {}


def test_schedule_creates_the_week_and_assigns_vetted_speakers(enrol, caller, make_volunteer):
    first = enrol(call_slots=["mon@10:00", "thu@15:30"])
    second = enrol(call_slots=["mon@10:00"], language="es")
    fr_a, fr_b = caller(), caller()
    es = caller(languages=["es"])
    caller(languages=["es"], vetting_status="pending")
    caller(languages=["es"], paused=True)
    make_volunteer(languages=["es"], phone="+33781009999")  # does not offer phone calls

    assigned = courtesy_calls_schedule(now=MONDAY_9)

    calls = CourtesyCall.objects.order_by("scheduled_for", "person_id")
    assert assigned == 3 == calls.count()
    assert [c.person_id for c in calls] == [first.pk, second.pk, first.pk]
    assert calls[1].volunteer == es
    assert {calls[0].volunteer, calls[2].volunteer} == {fr_a, fr_b}
    # Running again changes nothing.
    assert courtesy_calls_schedule(now=MONDAY_9) == 0
    assert CourtesyCall.objects.count() == 3


def test_the_database_refuses_a_double_booking(enrol, caller):
    volunteer = caller()
    one, two = enrol(), enrol()
    courtesy_calls_schedule(now=MONDAY_9)
    assert CourtesyCall.objects.filter(volunteer=volunteer).count() == 1
    lonely = CourtesyCall.objects.get(volunteer__isnull=True)
    assert lonely.person in (one, two)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CourtesyCall.objects.filter(pk=lonely.pk).update(volunteer=volunteer)


def test_leaving_cancels_the_coming_calls(enrol, caller):
    from entraide.care.services import care_person_leave

    person = enrol()
    caller()
    courtesy_calls_schedule(now=MONDAY_9)
    care_person_leave(person=person, method="coordinator")
    call = CourtesyCall.objects.get()
    assert call.status == CallStatus.CANCELLED
    assert call.volunteer is None
