from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MissionsConfig(AppConfig):
    """Organisations' missions with shifts: sign-up, waiting list, reminders, roster,
    check-in and the fair-load view; the volunteers' calendar feeds."""

    name = "entraide.missions"
    verbose_name = _("Missions")

    def ready(self) -> None:
        from entraide.matching.services import busy_check_register
        from entraide.platform import schedule

        from .services import shift_clash_for_request

        busy_check_register(shift_clash_for_request)

        schedule.register("entraide.missions.tasks.send_shift_reminders", every_seconds=900)
        schedule.register("entraide.missions.tasks.complete_ended_shifts", every_seconds=900)
