"""A read made through a care page is audited with the reader and their address, the
view handing the service an audit context rather than the request."""

from entraide.care.models import CourtesyCall
from entraide.care.services import courtesy_calls_schedule
from entraide.platform.models import AuditLog

from .conftest import MONDAY_9


def test_a_volunteers_read_of_their_call_is_audited_with_their_address(client, enrol, caller):
    enrol(first_name="Odette", phone="+33612345678")
    volunteer = caller()
    courtesy_calls_schedule(now=MONDAY_9)
    call = CourtesyCall.objects.get(volunteer=volunteer)
    client.force_login(volunteer.user)

    page = client.get(f"/care/calls/{call.pk}/", REMOTE_ADDR="198.51.100.7")

    assert "Odette" in page.content.decode()
    row = AuditLog.objects.get(action="care.read_person", subject=call.reference)
    assert (row.actor, row.ip_address) == (volunteer.user, "198.51.100.7")
