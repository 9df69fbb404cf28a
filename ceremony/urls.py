from django.urls import path

from ceremony import archive_views, converters, forecast_views, season_views, views  # noqa: F401 (converters)

app_name = "ceremony"

urlpatterns = [
    path("", views.home, name="home"),
    path("ceremonies/", archive_views.ceremony_index, name="list"),
    path("ceremonies/<uslug:slug>/", views.ceremony_detail, name="detail"),
    path("api/ceremonies/", views.api_ceremony_list, name="api-list"),
    path("api/ceremonies/<uslug:slug>/", views.api_ceremony_detail, name="api-detail"),
    path("films/<uslug:slug>/", archive_views.film_detail, name="film"),
    path("people/<uslug:slug>/", archive_views.person_detail, name="person"),
    path("search/", archive_views.search, name="search"),
    path("records/", archive_views.records_page, name="records"),
    path("upsets/", season_views.upsets, name="upsets"),
    path("seasons/", season_views.seasons, name="seasons"),
    path("seasons/<int:year>/", season_views.season, name="season"),
    path("forecast/", forecast_views.forecast_page, name="forecast"),
    path("api/records/", archive_views.api_records, name="api-records"),
    path("api/ceremonies/<uslug:slug>/results/", archive_views.api_results, name="api-results"),
]
