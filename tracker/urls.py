from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_safe

from ceremony.views import healthz


@require_safe
def favicon(request):
    # Browsers ask for /favicon.ico on pages that name no icon: send them to the site's.
    return redirect(static("ceremony/favicon.svg"), permanent=True)


urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    # No trailing slash, as load balancers probe it; exempt from the HTTPS redirect in settings.
    path("healthz", healthz, name="healthz"),
    path("pools/", include("ceremony.pools.urls")),
    path("", include("ceremony.urls")),
    path("", include("ceremony.sharing.urls")),
]
