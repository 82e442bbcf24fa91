"""Pages of the directory's interoperability, mounted under /directory/ (namespace
``interop``): opening hours as iCalendar, HSDS package download, imported changes."""

from django.urls import path

from . import views

app_name = "interop"

urlpatterns = [
    path("measures/<int:pk>/hours.ics", views.measure_hours_ics, name="measure_hours"),
    path("hsds/package.zip", views.package_download, name="package"),
    path("hsds/proposals/", views.proposals, name="proposals"),
    path("hsds/proposals/<int:pk>/", views.proposal_decide, name="proposal_decide"),
]
