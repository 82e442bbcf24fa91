from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("signup/", views.sign_up, name="sign_up"),
    path("login/", auth_views.LoginView.as_view(template_name="people/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="needs:home"), name="logout"),
    path("verify-email/<str:token>/", views.verify_email, name="verify_email"),
    path("pause/", views.pause, name="pause"),
    path("confirm-phone/", views.confirm_phone, name="confirm_phone"),
    path("organisation/", views.organisation_dashboard, name="organisation"),
    path(
        "organisation/assignments/<int:pk>/<str:action>/",
        views.organisation_action,
        name="organisation_action",
    ),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/<str:action>/", views.assignment_action, name="assignment_action"),
]
