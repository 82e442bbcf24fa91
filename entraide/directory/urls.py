from django.urls import path

from . import feeds, views

app_name = "directory"

urlpatterns = [
    path("", views.measure_list, name="measures"),
    path("measures/new/", views.measure_create, name="measure_create"),
    path("measures/mine/", views.my_measures, name="my_measures"),
    path("measures/<int:pk>/", views.measure_detail, name="measure"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/state/", views.measure_move, name="measure_move"),
    path("review/", views.review, name="review"),
    path("practices/", views.practice_list, name="practices"),
    path("practices/new/", views.practice_propose, name="practice_propose"),
    path("practices/<int:pk>/", views.practice_detail, name="practice"),
    path("practices/<int:pk>/state/", views.practice_move, name="practice_move"),
    path("bulletins/", views.bulletin_list, name="bulletins"),
    path("bulletins/feed/", feeds.BulletinFeed(), name="bulletin_feed"),
    path("bulletins/preview/", views.bulletin_preview, name="bulletin_preview"),
    path("bulletins/subscribe/", views.subscribe, name="subscribe"),
    path("bulletins/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("actions/", views.actions, name="actions"),
    path("duplicates/", views.duplicate_list, name="duplicates"),
]
