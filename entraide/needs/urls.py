from django.urls import path

from . import feeds, views

app_name = "needs"

urlpatterns = [
    path("", views.home, name="home"),
    path("zones/<str:code>/", views.board, name="board"),
    path("zones/<str:code>/feed/", feeds.ZoneRequestsFeed(), name="board_feed"),
    path("request/new/", views.request_create, name="request_create"),
    path("request/<str:reference>/<str:token>/", views.request_private, name="request_private"),
    path(
        "request/<str:reference>/<str:token>/cancel/", views.request_cancel, name="request_cancel"
    ),
    path(
        "<str:kind>/<str:reference>/<str:token>/my-data/",
        views.my_data,
        name="my_data",
    ),
    path(
        "<str:kind>/<str:reference>/<str:token>/forget/",
        views.forget_me,
        name="forget_me",
    ),
    path("offer/new/", views.offer_create, name="offer_create"),
    path("offer/<str:reference>/<str:token>/", views.offer_private, name="offer_private"),
    path("offer/<str:reference>/<str:token>/status/", views.offer_status, name="offer_status"),
]
