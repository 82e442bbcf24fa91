from django.urls import path

from . import views

app_name = "coordination"

urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("cases/<str:reference>/", views.case, name="case"),
    path("cases/<str:reference>/<str:action>/", views.case_action, name="case_action"),
    path("claims/", views.offered_cases, name="claims"),
    path("claims/<int:pk>/<str:action>/", views.claim_action, name="claim_action"),
]
