from django.urls import path

from . import feeds, views

app_name = "needs"

urlpatterns = [
    path("", views.home, name="home"),
    path("zones/<str:code>/", views.board, name="board"),
    path("zones/<str:code>/feed/", feeds.ZoneRequestsFeed(), name="board_feed"),
    path("request/new/", views.request_create, name="request_create"),
    path("offer/new/", views.offer_create, name="offer_create"),
    # Everything held about a proven phone or e-mail, across entries.
    path("my-data/", views.data_rights_start, name="data_rights_start"),
    path("my-data/code/", views.data_rights_code, name="data_rights_code"),
    path("my-data/confirm/", views.data_rights_confirm, name="data_rights_confirm"),
    path("my-data/link/<str:token>/", views.data_rights_link, name="data_rights_link"),
    path("my-data/proven/", views.data_rights_home, name="data_rights_home"),
    path("my-data/proven/download/", views.data_rights_download, name="data_rights_download"),
    path("my-data/proven/erase/", views.data_rights_erase, name="data_rights_erase"),
    # "I lost my link": the same proof of contact, then the entries are opened again.
    path("request/lost/", views.lost_link, name="lost_link"),
    path("my-data/entries/", views.my_entries, name="my_entries"),
    # The feedback question asked when a request is done (one-time link).
    path("request/<str:reference>/feedback/", views.feedback, name="request_feedback"),
    path(
        "request/<str:reference>/feedback/<str:token>/",
        views.feedback_link,
        name="request_feedback_link",
    ),
    # One entry, reached through the session its private link opened (no token in URLs).
    path("request/<str:reference>/", views.request_private, name="request_page"),
    path("request/<str:reference>/cancel/", views.request_cancel, name="request_cancel_page"),
    path("offer/<str:reference>/", views.offer_private, name="offer_page"),
    path("offer/<str:reference>/status/", views.offer_status, name="offer_status_page"),
    path("<str:kind>/<str:reference>/my-data/", views.my_data, name="entry_data"),
    path("<str:kind>/<str:reference>/forget/", views.forget_me, name="entry_forget"),
    # Private links, as given to their authors: they open the session and redirect.
    path(
        "request/<str:reference>/<str:token>/",
        views.private_link,
        {"kind": "request"},
        name="request_private",
    ),
    path(
        "request/<str:reference>/<str:token>/cancel/",
        views.private_link,
        {"kind": "request", "action": "cancel"},
        name="request_cancel",
    ),
    path(
        "<str:kind>/<str:reference>/<str:token>/my-data/",
        views.private_link,
        {"action": "my-data"},
        name="my_data",
    ),
    path(
        "<str:kind>/<str:reference>/<str:token>/forget/",
        views.private_link,
        {"action": "forget"},
        name="forget_me",
    ),
    path(
        "offer/<str:reference>/<str:token>/",
        views.private_link,
        {"kind": "offer"},
        name="offer_private",
    ),
    path(
        "offer/<str:reference>/<str:token>/status/",
        views.private_link,
        {"kind": "offer", "action": "status"},
        name="offer_status",
    ),
]
