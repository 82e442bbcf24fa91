from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from entraide.platform.auth_forms import OutboxPasswordResetForm
from entraide.platform.views import SignInView

from . import views

app_name = "people"

urlpatterns = [
    path("signup/", views.sign_up, name="sign_up"),
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="needs:home"), name="logout"),
    path(
        "password-reset/",
        views.ThrottledPasswordResetView.as_view(
            form_class=OutboxPasswordResetForm,
            template_name="people/password_reset.html",
            success_url=reverse_lazy("people:password_reset_done"),
            email_template_name="people/password_reset_email.txt",
            subject_template_name="people/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="people/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="people/password_reset_confirm.html",
            success_url=reverse_lazy("people:login"),
        ),
        name="password_reset_confirm",
    ),
    path("verify-email/<str:token>/", views.verify_email, name="verify_email"),
    path("profile/", views.profile, name="profile"),
    path("pause/", views.pause, name="pause"),
    path("confirm-phone/", views.confirm_phone, name="confirm_phone"),
]
