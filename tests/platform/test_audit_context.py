"""Services take an ``AuditContext`` (who, from where, why), built by the adapter that
received the request; the audit row is the same whatever the entry point."""

import pytest
from django.test import RequestFactory

from entraide.platform.audit import AuditContext, audit_context_from, audit_record
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


def test_a_service_takes_only_an_audit_context_not_the_request(django_user_model, db):
    from entraide.care.access import escalations_listed

    user = django_user_model.objects.create_user("coord2")
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.5")
    request.user = user
    with pytest.raises(TypeError):
        escalations_listed(user=user, http_request=request)
    assert not AuditLog.objects.exists()
