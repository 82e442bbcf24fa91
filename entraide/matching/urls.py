from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("history/", views.history, name="history"),
    path("nearby/", views.nearby, name="nearby"),
    path("nearby/<str:reference>/take/", views.claim, name="claim"),
    path("organisation/", views.organisation_dashboard, name="organisation"),
    path(
        "organisation/assignments/<int:pk>/<str:action>/",
        views.organisation_action,
        name="organisation_action",
    ),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/<str:action>/", views.assignment_action, name="assignment_action"),
]
