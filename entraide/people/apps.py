from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "entraide.people"
    verbose_name = _("Volunteers and organisations")

    def ready(self) -> None:
        from entraide.platform.data_rights import register_source

        from .personal_data import VolunteersSource

        register_source(VolunteersSource())
