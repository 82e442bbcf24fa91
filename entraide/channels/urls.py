from django.urls import path

from . import views, webhooks

app_name = "channels"

urlpatterns = [
    path("voice/", webhooks.voice, name="voice"),
    path("voice/<int:turn>/", webhooks.voice, name="voice_turn"),
    path("sms/", webhooks.sms, name="sms"),
    path("hotline/", views.console, name="console"),
    path("hotline/<str:phone>/requests/", views.request_create, name="request_create"),
    path(
        "hotline/<str:phone>/requests/<str:reference>/cancel/",
        views.request_cancel,
        name="request_cancel",
    ),
    path("hotline/<str:phone>/notes/", views.note_add, name="note_add"),
    path(
        "hotline/voice-messages/<int:pk>/audio/",
        views.voice_message_audio,
        name="voice_message_audio",
    ),
    path(
        "hotline/voice-messages/<int:pk>/handled/",
        views.voice_message_handle,
        name="voice_message_handle",
    ),
]
