from django.urls import path

from . import views

app_name = "platform"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("staff/", views.staff, name="staff"),
    path("staff/grants/<int:pk>/revoke/", views.staff_revoke_grant, name="staff_revoke"),
    path("staff/invitation/<uidb64>/<token>/", views.InvitationView.as_view(), name="invitation"),
]
