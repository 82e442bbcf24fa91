from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from entraide.core.api import api_not_found
from entraide.platform import views as platform_views
from entraide.platform.admin_site import EntraideAdminSite

admin.site.__class__ = EntraideAdminSite
admin.site.site_header = _("Entraide — coordination")
admin.site.site_title = _("Entraide")
admin.site.index_title = _("Coordination back office")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accessibility/", platform_views.accessibility, name="accessibility"),
    path("api/v1/", include("entraide.api_urls")),
    path("api/hsds/", include("entraide.directory.hsds.api_urls")),
    re_path(r"^api/", api_not_found),
    path("channels/", include("entraide.channels.urls")),
    path("volunteer/", include("entraide.people.urls")),
    path("volunteer/", include("entraide.matching.urls")),
    path("coordination/volunteers/", include("entraide.people.coordination_urls")),
    path("coordination/incident/", include("entraide.crisis.urls")),
    path("coordination/", include("entraide.coordination.urls")),
    path("coordination/", include("entraide.insight.urls")),
    path("directory/", include("entraide.directory.hsds.urls")),
    path("directory/", include("entraide.directory.urls")),
    path("care/", include("entraide.care.urls")),
    path("missions/", include("entraide.missions.urls")),
    path("", include("entraide.recognition.urls")),
    path("", include("entraide.platform.urls")),
    path("", include("entraide.needs.urls")),
]
