from django.urls import path

from . import views

app_name = "insight"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("map/", views.map_page, name="map"),
    path("map/data.json", views.map_json, name="map_data"),
    path("exports/", views.exports_page, name="exports"),
    path("exports/download/", views.export_download, name="export"),
    path("exports/hours.csv", views.export_hours, name="export_hours"),
    path("posters/<str:code>/<str:design>.pdf", views.poster, name="poster"),
]
