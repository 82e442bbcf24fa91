"""The crisis page, under /coordination/incident/."""

from django.urls import path

from . import views

app_name = "crisis"

urlpatterns = [
    path("", views.incident, name="incident"),
    path("start/", views.start, name="start"),
    path("<int:pk>/end/", views.end, name="end"),
]
