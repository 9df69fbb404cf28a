from django.urls import path

from ceremony import views

app_name = "ceremony"

urlpatterns = [
    path("", views.home, name="home"),
    path("ceremonies/", views.ceremony_list, name="list"),
    path("ceremonies/<slug:slug>/", views.ceremony_detail, name="detail"),
    path("api/ceremonies/", views.api_ceremony_list, name="api-list"),
    path("api/ceremonies/<slug:slug>/", views.api_ceremony_detail, name="api-detail"),
]
