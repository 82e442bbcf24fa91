"""Services take an ``AuditContext`` (who, from where, why), built by the adapter that
received the request; the audit row is the same whatever the entry point."""

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from entraide.platform.audit import (
    AuditContext,
    accepts_http_request,
    audit_context_from,
    audit_record,
)
from entraide.platform.models import AuditLog


def test_the_context_of_a_request_names_its_user_address_and_purpose(django_user_model, db):
    user = django_user_model.objects.create_user("coord")
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.4")
    request.user = user
    assert audit_context_from(request, purpose="coordination") == AuditContext(
        actor=user, ip="192.0.2.4", purpose="coordination"
    )
    assert audit_context_from(None) == AuditContext()


def test_an_audit_row_takes_its_address_and_default_purpose_from_the_context(django_user_model, db):
    user = django_user_model.objects.create_user("v")
    context = AuditContext(actor=user, ip="198.51.100.7", purpose="accepted")
    audit_record(actor=user, action="read_contact", subject="RABC234", context=context)
    audit_record(actor=None, action="care.sweep", subject="care", context=context)
    first, second = AuditLog.objects.order_by("id")
    assert (first.actor, first.ip_address, first.purpose) == (user, "198.51.100.7", "accepted")
    assert second.actor is None


def test_a_caller_still_passing_http_request_gets_a_context():
    seen = {}

    @accepts_http_request
    def service(*, audit: AuditContext | None = None) -> None:
        seen["audit"] = audit

    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5")
    request.user = AnonymousUser()
    service(http_request=request)
    assert seen["audit"].ip == "203.0.113.5"
    service()
    assert seen["audit"] is None


def test_a_request_argument_that_is_an_http_request_becomes_the_context():
    seen = {}

    @accepts_http_request
    def service(*, request: object = None, audit: AuditContext | None = None) -> None:
        seen["request"], seen["audit"] = request, audit

    http = RequestFactory().get("/", REMOTE_ADDR="203.0.113.6")
    http.user = AnonymousUser()
    service(request=http)
    assert seen["request"] is None and seen["audit"].ip == "203.0.113.6"
    service(request="a help request")
    assert seen["request"] == "a help request" and seen["audit"] is None
