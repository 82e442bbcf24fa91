from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "entraide.directory"
    label = "directory"
    verbose_name = _("Directory of measures and practices")

    def ready(self) -> None:
        from entraide.platform import schedule
        from entraide.platform.data_rights import register_source

        from .personal_data import SubscriptionsSource

        register_source(SubscriptionsSource())
        schedule.register("entraide.directory.tasks.compose_weekly_bulletins", every_seconds=3600)
