from django.urls import path

from ceremony.pools import views

app_name = "pools"

urlpatterns = [
    path("", views.find, name="find"),
    path("new/<str:slug>/", views.create, name="create"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/picks.json", views.picks, name="picks"),
    path("<str:code>/join/", views.join, name="join"),
    path("<str:code>/ballot/", views.ballot, name="ballot"),
    path("<str:code>/ballot/delete/", views.leave, name="leave"),
    path("<str:code>/manage/<str:secret>/", views.manage, name="manage"),
    path("<str:code>/manage/<str:secret>/export.csv", views.export, name="export"),
]
