"""Back-office pages that show private data write one audit row per view.

The volunteer's path to a requester's contact is audited (``access_help_request_contact``);
a coordinator opening the same contact in the back office must be too.
"""

from django.contrib.admin.utils import unquote

from .audit import audit_record


class AuditedChangeViewMixin:
    """For a ModelAdmin whose change page shows a contact or a message body.

    Every time the page is shown (a GET, or a POST re-displayed with errors), one audit row
    records who (actor), what (``audit_subject``: a reference, never personal data) and why
    (``audit_purpose``). A save that redirects shows nothing and records nothing.
    """

    audit_action = "read_contact"
    audit_purpose = "back office change page"

    def audit_subject(self, obj) -> str:
        reference = getattr(obj, "reference", "")
        return reference or f"{obj._meta.label_lower}:{obj.pk}"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                audit_record(
                    actor=request.user,
                    action=self.audit_action,
                    subject=self.audit_subject(obj),
                    purpose=self.audit_purpose,
                    request=request,
                )
        return response
