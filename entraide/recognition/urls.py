from django.urls import path

from . import views

app_name = "recognition"

urlpatterns = [
    path("volunteer/hours/", views.hours, name="hours"),
    path("volunteer/hours/<int:pk>/adjust/", views.hours_adjust, name="hours_adjust"),
    path("volunteer/hours/certificate/", views.certificate_issue, name="certificate"),
    path(
        "volunteer/hours/certificates/<int:pk>/revoke/",
        views.certificate_revoke,
        name="certificate_revoke",
    ),
    path("coordination/hours/", views.to_confirm, name="to_confirm"),
    path("coordination/hours/<int:pk>/<str:action>/", views.decide, name="decide"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
]
