"""The project's URLs plus ``/bench/ping/``: the cheapest Django JSON answer, as the
baseline the request-creation throughput is compared with."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from entraide.urls import urlpatterns as project_urlpatterns


def ping(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/ping/", ping), *project_urlpatterns]
