from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "entraide.matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from entraide.needs.helpers import register_helper_lookup
        from entraide.platform import schedule

        from .handlers import connect
        from .services import helper_for_requester

        connect()
        register_helper_lookup(helper_for_requester)
        schedule.register("entraide.matching.tasks.expire_stale_proposals", every_seconds=300)
        schedule.register("entraide.matching.tasks.run_batch_matching", every_seconds=300)
