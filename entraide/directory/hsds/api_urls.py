"""/api/hsds/: Open Referral HSDS 3.0, read-only (api.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("", api.HsdsRootApi.as_view(), name="hsds-root"),
    path("services/", api.HsdsServiceListApi.as_view(), name="hsds-services"),
    path("services/<str:service_id>/", api.HsdsServiceDetailApi.as_view(), name="hsds-service"),
    path("organizations/", api.HsdsOrganizationListApi.as_view(), name="hsds-organizations"),
    path(
        "organizations/<str:organization_id>/",
        api.HsdsOrganizationDetailApi.as_view(),
        name="hsds-organization",
    ),
    path(
        "service_at_locations/",
        api.HsdsServiceAtLocationListApi.as_view(),
        name="hsds-service-at-locations",
    ),
    path(
        "service_at_locations/<str:link_id>/",
        api.HsdsServiceAtLocationDetailApi.as_view(),
        name="hsds-service-at-location",
    ),
    path("locations/", api.HsdsLocationListApi.as_view(), name="hsds-locations"),
    path("locations/<str:location_id>/", api.HsdsLocationDetailApi.as_view(), name="hsds-location"),
    path("taxonomy_terms/", api.HsdsTaxonomyTermListApi.as_view(), name="hsds-taxonomy-terms"),
]
