from django.urls import path

from ceremony import converters  # noqa: F401 (registers uslug)
from ceremony.sharing import feeds, views

app_name = "sharing"

urlpatterns = [
    path("ceremonies/<uslug:slug>/results.atom", feeds.CeremonyResultsFeed(), name="feed"),
    path(
        "ceremonies/<uslug:slug>/called-<int:called>-of-<int:total>/",
        views.ballot_page,
        name="ballot",
    ),
    path(
        "ceremonies/<uslug:slug>/called-<int:called>-of-<int:total>.png",
        views.ballot_card,
        name="ballot-card",
    ),
    path("ceremonies/<uslug:slug>/<slug:category>/", views.result_page, name="result"),
    path("ceremonies/<uslug:slug>/<slug:category>/card.png", views.result_card, name="card"),
    path("embed/<uslug:slug>/", views.embed_scoreboard, name="embed"),
    path("embed/<uslug:slug>/<slug:category>/", views.embed_category, name="embed-category"),
    path("oembed", views.oembed_endpoint, name="oembed"),
]
