from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "entraide.needs"
    verbose_name = _("Requests and offers")

    def ready(self) -> None:
        from entraide.platform import schedule
        from entraide.platform.data_rights import register_source
        from entraide.platform.events import subscribe

        from . import events, handlers
        from .personal_data import OffersSource, RequestsSource

        subscribe(events.RequestCreated, handlers.queue_locate)
        subscribe(events.RequestUpdated, handlers.queue_locate)
        register_source(RequestsSource())
        register_source(OffersSource())
        schedule.register("entraide.needs.tasks.expire_overdue_requests", every_seconds=3600)
