from django.contrib import admin
from django.urls import include, path

from ceremony.views import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    # No trailing slash, as load balancers probe it; exempt from the HTTPS redirect in settings.
    path("healthz", healthz, name="healthz"),
    path("", include("ceremony.urls")),
]
