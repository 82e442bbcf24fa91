"""Version 1 of the REST API, with its OpenAPI 3 schema and docs page."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from entraide.core.api import api_not_found
from entraide.directory import api as directory_api
from entraide.insight import api as insight_api
from entraide.needs import api as needs_api
from entraide.territory import api as territory_api

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="api-schema"),
    # The docs page loads its start-up script from a URL: no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("categories/", needs_api.CategoryListApi.as_view(), name="api-categories"),
    path("zones/", territory_api.ZoneListApi.as_view(), name="api-zones"),
    path("zones/<str:code>/", territory_api.ZoneDetailApi.as_view(), name="api-zone"),
    path(
        "zones/<str:code>/requests/",
        needs_api.BoardRequestsApi.as_view(),
        name="api-board-requests",
    ),
    path("zones/<str:code>/offers/", needs_api.BoardOffersApi.as_view(), name="api-board-offers"),
    path(
        "postcodes/<str:postcode>/", territory_api.PostcodeLookupApi.as_view(), name="api-postcode"
    ),
    path("requests/", needs_api.RequestCreateApi.as_view(), name="api-request-create"),
    path("requests/<str:reference>/", needs_api.OwnRequestApi.as_view(), name="api-request"),
    path(
        "requests/<str:reference>/cancel/",
        needs_api.OwnRequestCancelApi.as_view(),
        name="api-request-cancel",
    ),
    path("offers/", needs_api.OfferCreateApi.as_view(), name="api-offer-create"),
    path("offers/<str:reference>/", needs_api.OwnOfferApi.as_view(), name="api-offer"),
    path(
        "offers/<str:reference>/withdraw/",
        needs_api.OwnOfferWithdrawApi.as_view(),
        name="api-offer-withdraw",
    ),
    path("directory/measures/", directory_api.MeasureListApi.as_view(), name="api-measures"),
    path(
        "directory/measures/<int:pk>/", directory_api.MeasureDetailApi.as_view(), name="api-measure"
    ),
    path("directory/practices/", directory_api.PracticeListApi.as_view(), name="api-practices"),
    path(
        "open-data/requests/",
        insight_api.OpenDataRequestsApi.as_view(),
        name="api-open-data-requests",
    ),
    path(
        "open-data/requests.csv",
        insight_api.OpenDataRequestsCsvApi.as_view(),
        name="api-open-data-requests-csv",
    ),
    # Last: any other address under the API answers the JSON error shape, not HTML.
    re_path(r"^", api_not_found),
]
