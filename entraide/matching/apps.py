from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "entraide.matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from entraide.platform import schedule

        from .handlers import connect

        connect()
        schedule.register("entraide.matching.tasks.expire_stale_proposals", every_seconds=300)
        schedule.register("entraide.matching.tasks.run_batch_matching", every_seconds=300)
