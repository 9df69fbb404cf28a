import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
# Django must be set up before anything imports models (the websocket routing does).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from ceremony.realtime.pagecache import PageCacheMiddleware  # noqa: E402
from ceremony.realtime.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": PageCacheMiddleware(django_asgi_app),
        "websocket": AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns)),
    }
)

# Start-up objects (Django, the app, its templates: about 100,000) live as long as the process:
# exclude them from every later full garbage collection, which otherwise walks them each time
# (docs/performance.md: full collections pause a process serving thousands of sockets).
gc.collect()
gc.freeze()
