"""Pages that belong to the whole platform rather than to one capability."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement: what was tested, how, known limits, how to report."""
    return render(request, "accessibility.html")
