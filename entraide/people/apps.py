from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "entraide.people"
    verbose_name = _("Volunteers and organisations")

    def ready(self) -> None:
        from entraide.platform import schedule
        from entraide.platform.data_rights import register_source
        from entraide.platform.events import subscribe

        from . import handlers
        from .events import VolunteerHomeChanged
        from .personal_data import VolunteersSource

        register_source(VolunteersSource())
        subscribe(VolunteerHomeChanged, handlers.queue_home_locate)
        schedule.register("entraide.people.tasks.locate_pending_places", every_seconds=3600)
