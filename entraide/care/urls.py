from django.urls import path

from . import views, webhooks

app_name = "care"

urlpatterns = [
    path("calls/", views.my_calls, name="my_calls"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/bridge/", views.call_bridge, name="call_bridge"),
    path("calls/<int:pk>/request/", views.call_request, name="call_request"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/<int:pk>/", views.person, name="person"),
    path("escalations/", views.escalations, name="escalations"),
    path("escalations/<int:pk>/", views.escalation, name="escalation"),
    path("bridge/<int:call_id>/connect/", webhooks.bridge_connect, name="bridge_connect"),
    path("bridge/<int:call_id>/dialled/", webhooks.bridge_dialled, name="bridge_dialled"),
    path("bridge/<int:call_id>/status/", webhooks.bridge_status, name="bridge_status"),
]
