from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "entraide.coordination"
    verbose_name = _("Coordinators' workspace")

    def ready(self) -> None:
        # The members of a partner organisation that took a case on read its contact
        # through matching's audited path: matching sits below and cannot ask us itself.
        from entraide.matching.services import contact_grant_register

        from .services import partner_may_read_contact

        contact_grant_register(partner_may_read_contact)
