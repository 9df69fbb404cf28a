import ctypes
import ctypes.util
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

# Allocations of 128 KB and more (a large ceremony's frames, queued for readers that read slowly)
# get mapped memory of their own, handed back to the system when freed. Without this, glibc
# raises the threshold after the first such free and serves them from its heap, which then
# stays at its peak size after the readers are gone (docs/performance.md, *Readers that do not
# read*). M_MMAP_THRESHOLD is -3; other C libraries without mallopt are left as they are.
_libc = ctypes.CDLL(ctypes.util.find_library("c"))
if hasattr(_libc, "mallopt"):
    _libc.mallopt(-3, 128 * 1024)
