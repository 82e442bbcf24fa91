from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "entraide.insight"
    verbose_name = _("Dashboard, map, exports and posters")

    def ready(self) -> None:
        from entraide.platform import schedule

        # The dashboard's rollup (rollups.py): changes every minute, everything every hour.
        schedule.register("entraide.insight.tasks.rollup_catch_up", every_seconds=60)
        schedule.register("entraide.insight.tasks.rollup_reconcile", every_seconds=3600)
