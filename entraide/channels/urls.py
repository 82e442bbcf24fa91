from django.urls import path

from . import webhooks

app_name = "channels"

urlpatterns = [
    path("voice/", webhooks.voice, name="voice"),
    path("voice/<int:turn>/", webhooks.voice, name="voice_turn"),
    path("sms/", webhooks.sms, name="sms"),
]
