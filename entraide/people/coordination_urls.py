"""Coordinators' pages on volunteers and organisations, under /coordination/volunteers/."""

from django.urls import path

from . import views

app_name = "volunteers"

urlpatterns = [
    path("", views.volunteers, name="list"),
    path("organisations/", views.organisations, name="organisations"),
    path("<int:pk>/", views.vetting, name="vetting"),
    path("<int:pk>/contact/", views.reveal_contact, name="reveal_contact"),
    path("<int:pk>/decision/", views.decide, name="decide"),
]
