from django.urls import path

from . import feeds, views

app_name = "missions"

urlpatterns = [
    path("", views.mission_list, name="list"),
    path("<int:pk>/", views.mission_detail, name="detail"),
    path("shifts/<int:pk>/sign-up/", views.shift_signup, name="signup"),
    path("sign-ups/<int:pk>/cancel/", views.signup_cancel, name="cancel"),
    path("mine/", views.my_shifts, name="mine"),
    path("mine/calendar/", views.calendar_link, name="calendar_link"),
    path("calendar/<str:token>.ics", feeds.volunteer_calendar, name="volunteer_ics"),
    path("open.ics", feeds.public_calendar, name="public_ics"),
    path("open.json", feeds.public_json, name="public_json"),
    path("open.atom", feeds.OpenMissionsFeed(), name="public_atom"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.mission_create, name="create"),
    path("manage/fair-load/", views.fair_load, name="fair_load"),
    path("manage/<int:pk>/", views.manage_mission, name="manage_mission"),
    path("manage/<int:pk>/edit/", views.mission_edit, name="edit"),
    path("manage/<int:pk>/move/", views.mission_move, name="move"),
    path("manage/<int:pk>/shifts/", views.shift_add, name="shift_add"),
    path("manage/shifts/<int:pk>/", views.shift_edit, name="shift_edit"),
    path("manage/shifts/<int:pk>/cancel/", views.shift_cancel, name="shift_cancel"),
    path("manage/shifts/<int:pk>/roster/", views.roster, name="roster"),
]
