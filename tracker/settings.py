"""Settings, read from environment variables only.

Every variable is optional for the single-process quick start; a value that is present but
malformed stops start-up with a message naming the variable, rather than running half-configured.
"""

import os
import tomllib
import zoneinfo
from pathlib import Path

import dj_database_url
import limits
from django.core.exceptions import ImproperlyConfigured

from ceremony.text import parse_number

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true or false.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = parse_number(raw.strip())
    if value is None:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number (ASCII digits).")
    return value


def env_addresses(name: str) -> list[tuple[str, int]]:
    """`host:port,host:port,...` as (host, port) pairs, the port ASCII digits from 1 to 65535;
    empty if unset. A URL, or a value naming no address at all (","), is refused."""
    raw = os.environ.get(name, "")
    if not raw:
        return []
    addresses = []
    for item in env_list(name, []):
        if "://" in item or "/" in item or "@" in item:
            raise ImproperlyConfigured(
                f"{name}={raw!r}: {item!r} is a URL; give host:port (e.g. 10.0.0.1:26379)."
            )
        host, _, port = item.rpartition(":")
        number = parse_number(port, max_digits=5, minimum=1)
        if not host.strip("[]") or any(c.isspace() for c in host) or not number or number > 65535:
            raise ImproperlyConfigured(
                f"{name}={raw!r}: {item!r} is not host:port with a port from 1 to 65535 "
                "(e.g. 10.0.0.1:26379)."
            )
        addresses.append((host.strip("[]"), number))
    if not addresses:
        raise ImproperlyConfigured(
            f"{name}={raw!r} names no address; give host:port,host:port,... or unset it."
        )
    return addresses


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# A key long enough and varied enough to be random ("xxxx...x" is long, not secret).
SECRET_KEY_MIN_LENGTH, SECRET_KEY_MIN_DISTINCT = 32, 10
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG=true"
elif not DEBUG:
    if len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"SECRET_KEY is shorter than {SECRET_KEY_MIN_LENGTH} characters."
        )
    if len(set(SECRET_KEY)) < SECRET_KEY_MIN_DISTINCT:
        raise ImproperlyConfigured(
            f"SECRET_KEY has fewer than {SECRET_KEY_MIN_DISTINCT} different characters; "
            "use a random one (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is empty; list the host names the site answers to.")

TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"TIME_ZONE={TIME_ZONE!r} is not a known time zone.") from None
USE_TZ = True
USE_I18N = False
LANGUAGE_CODE = "en-us"

INSTALLED_APPS = [
    # First, so that `runserver` serves ASGI (websockets) through Daphne.
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "axes",
    "channels",
    "ceremony",
    # Share cards, embeds, oEmbed, feeds (an app only for its template tags: no models).
    "ceremony.sharing",
    "ceremony.pools",
    # The odds (issue 26): its own app and migrations, beside the archive's.
    "ceremony.forecast",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = None
ASGI_APPLICATION = "tracker.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            # 0: under ASGI every request runs in a thread of its own, and kept connections
            # pile up past PostgreSQL's limit in a burst (docs/reliability.md).
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
            conn_health_checks=True,
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a usable database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so the Daphne process of the browser tests sees the test data; one
    # per test run, so two runs side by side never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f"test-db-{os.getpid()}.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {
        # Every transaction takes the write lock when it begins (BEGIN IMMEDIATE), and a second
        # writer waits up to 20 s for it: two desk POSTs at once never fail with "database is
        # locked" half-way through; the second one sees the first's result (or a conflict).
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# PostgreSQL only: a pool of connections per process (psycopg_pool), so a request or a connect
# takes an open connection instead of opening one (docs/performance.md, *Connecting*); at most
# DATABASE_POOL_MAX_SIZE per process, and a request waits up to DATABASE_POOL_TIMEOUT seconds
# for one. Every process's maximum together must stay under PostgreSQL's max_connections.
if IS_POSTGRES and env_bool("DATABASE_POOL", True):
    if DATABASES["default"]["CONN_MAX_AGE"]:
        raise ImproperlyConfigured(
            "DATABASE_CONN_MAX_AGE must be 0 with DATABASE_POOL=true: the pool keeps connections."
        )
    _pool = {
        "min_size": env_int("DATABASE_POOL_MIN_SIZE", 2),
        "max_size": env_int("DATABASE_POOL_MAX_SIZE", 10),
        "timeout": env_int("DATABASE_POOL_TIMEOUT", 10),
    }
    if not 0 <= _pool["min_size"] <= _pool["max_size"] or _pool["max_size"] < 1:
        raise ImproperlyConfigured(
            f"DATABASE_POOL_MIN_SIZE={_pool['min_size']} and DATABASE_POOL_MAX_SIZE="
            f"{_pool['max_size']}: need 0 <= min <= max and max >= 1."
        )
    if _pool["timeout"] <= 0:
        raise ImproperlyConfigured(f"DATABASE_POOL_TIMEOUT={_pool['timeout']} must be positive.")
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = _pool

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"REDIS_URL={REDIS_URL!r} must start with redis://, rediss:// or unix://."
    )
# Redis Sentinel instead of one Redis: the sentinels' addresses and the name they monitor the
# primary under; the channel layer asks them for the primary at every (re)connect, so a failover
# needs no restart (docs/deploy.md, "Redis that fails over").
REDIS_SENTINELS = env_addresses("REDIS_SENTINELS")
REDIS_SENTINEL_MASTER = os.environ.get("REDIS_SENTINEL_MASTER", "").strip()
if REDIS_SENTINELS or REDIS_SENTINEL_MASTER:
    if not (REDIS_SENTINELS and REDIS_SENTINEL_MASTER):
        raise ImproperlyConfigured(
            "REDIS_SENTINELS and REDIS_SENTINEL_MASTER go together: set both, or neither."
        )
    if REDIS_URL:
        raise ImproperlyConfigured(
            "REDIS_URL and REDIS_SENTINELS are both set: use one Redis or its sentinels, not both."
        )
# The primary's password under Sentinel (with REDIS_URL it is part of the URL).
REDIS_PASSWORD = os.environ.get("REDIS_PASSWORD", "") or None
# Timeouts of the sentinels' connections and of connecting to the primary: a sentinel or
# primary whose host is gone costs seconds, not the TCP default of minutes.
REDIS_SENTINEL_TIMEOUTS = {"socket_connect_timeout": 2, "socket_timeout": 2}
# redis-py 8 refuses connections past its pool's limit (100 by default).
REDIS_MAX_CONNECTIONS = env_int("REDIS_MAX_CONNECTIONS", 1000)
if REDIS_SENTINELS:
    REDIS_HOST = {
        "master_name": REDIS_SENTINEL_MASTER,
        "sentinels": REDIS_SENTINELS,
        "sentinel_kwargs": REDIS_SENTINEL_TIMEOUTS,
        "password": REDIS_PASSWORD,
        "socket_connect_timeout": 2,
        "max_connections": REDIS_MAX_CONNECTIONS,
    }
elif REDIS_URL:
    REDIS_HOST = {"address": REDIS_URL, "max_connections": REDIS_MAX_CONNECTIONS}
else:
    REDIS_HOST = None

if REDIS_HOST:
    CHANNEL_LAYERS = {
        "default": {
            # Pub/sub: one Redis subscription per process, no per-message polling.
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                # Lets several sites (or test runs) share one Redis without hearing each other.
                "prefix": os.environ.get("REDIS_PREFIX", "tracker"),
                "hosts": [REDIS_HOST],
            },
        }
    }
else:
    # Single process only: the quick start without Redis.
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Readers on the version before a write get only what changed (docs/protocol.md, *Deltas*);
# false sends every reader whole snapshots, as before deltas: a switch for the night if a
# client ever mishandles them.
WEBSOCKET_DELTAS = env_bool("WEBSOCKET_DELTAS", True)

# Under Daphne, a push's frame is framed once and the same bytes written to every reader
# (ceremony/realtime/prepared.py); false sends each through Daphne's ASGI send, as before.
WEBSOCKET_PREPARED_FRAMES = env_bool("WEBSOCKET_PREPARED_FRAMES", True)
# Under Daphne, write to a reader's socket (frames, pings) at once when nothing is queued before
# it, rather than through Twisted's buffer (half the CPU per push: docs/performance.md); false
# writes through the buffer.
WEBSOCKET_DIRECT_WRITES = env_bool("WEBSOCKET_DIRECT_WRITES", True)

# The readers' edge tier (docs/deploy.md, "The edge tier"): each edge host's Nchan publisher,
# e.g. `http://10.0.0.21:8090/pub,http://10.0.0.22:8090/pub`. After each write the version's frame
# is POSTed once to each (ceremony/realtime/edge.py). Unset: Daphne serves the readers alone.
EDGE_PUBLISH_URLS = env_list("EDGE_PUBLISH_URLS", [])
for _url in EDGE_PUBLISH_URLS:
    if not _url.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"EDGE_PUBLISH_URLS: {_url!r} is not an http:// URL (e.g. http://10.0.0.21:8090/pub)."
        )

# What Daphne may queue for one reader's socket (bytes waiting past the kernel's buffers) before
# the reader is closed as too slow (close code 4408, docs/protocol.md *Slow readers*).
WEBSOCKET_MAX_QUEUED_BYTES = env_int("WEBSOCKET_MAX_QUEUED_BYTES", 256 * 1024)
if WEBSOCKET_MAX_QUEUED_BYTES < 64 * 1024:
    raise ImproperlyConfigured(
        f"WEBSOCKET_MAX_QUEUED_BYTES={WEBSOCKET_MAX_QUEUED_BYTES} is below 65536: a reader "
        "could not be queued even two snapshots."
    )

# The largest websocket message Daphne sends: its --websocket-max-message-size (1 MiB unless
# given; the deployment leaves it). A write whose snapshot frame would be larger is refused.
WEBSOCKET_MAX_MESSAGE_BYTES = env_int("WEBSOCKET_MAX_MESSAGE_BYTES", 1024 * 1024)
if WEBSOCKET_MAX_MESSAGE_BYTES < 64 * 1024:
    raise ImproperlyConfigured(
        f"WEBSOCKET_MAX_MESSAGE_BYTES={WEBSOCKET_MAX_MESSAGE_BYTES} is below 65536: the 97th "
        "Academy Awards alone need about 40 KB."
    )

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

# Pools (ceremony/pools, docs/pools.md): limits per address on creating, joining, saving a ballot
# and looking a code up, as the `limits` library's "N/minute" or "N per hour"; counted in Redis
# when REDIS_URL is set (so across processes), else in this process's memory.
POOL_RATES = {
    action: os.environ.get(f"POOL_RATE_{action.upper()}", default)
    for action, default in {
        "create": "10/hour",
        "join": "30/hour",
        "save": "60/minute",
        "lookup": "60/minute",
    }.items()
}
for _action, _rate in POOL_RATES.items():
    try:
        limits.parse(_rate)
    except ValueError:
        raise ImproperlyConfigured(
            f"POOL_RATE_{_action.upper()}={_rate!r} is not a rate such as 30/hour."
        ) from None
POOL_RATE_STORAGE = REDIS_URL or "memory://"
POOL_RATE_STORAGE_OPTIONS: dict = {}
if REDIS_SENTINELS:
    POOL_RATE_STORAGE = "redis+sentinel://{}/{}".format(
        ",".join(f"[{h}]:{p}" if ":" in h else f"{h}:{p}" for h, p in REDIS_SENTINELS),
        REDIS_SENTINEL_MASTER,
    )
    # The primary's password (REDIS_PASSWORD); the sentinels ask none, as for the channel layer.
    POOL_RATE_STORAGE_OPTIONS = {
        "password": REDIS_PASSWORD,
        "sentinel_kwargs": {**REDIS_SENTINEL_TIMEOUTS, "password": None},
        **REDIS_SENTINEL_TIMEOUTS,
    }
REDIS_PREFIX = os.environ.get("REDIS_PREFIX", "tracker")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Content-hashed names (in ES module imports too), so browsers may cache static files
        # forever.
        "BACKEND": "tracker.storage.StaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"
# A login with no safe `next` lands on the admin index (Django's default is /accounts/profile/).
LOGIN_REDIRECT_URL = "admin:index"

# Behind TLS (the production shape), cookies are HTTPS-only and HSTS is sent.
SECURE_SSL = env_bool("SECURE_SSL", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_SSL_REDIRECT = SECURE_SSL and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if SECURE_SSL else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
SECURE_HSTS_PRELOAD = SECURE_SSL
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# Admin login throttling: 5 failures lock that username from that address for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# What /healthz reports: the release deployed (deploys set it, e.g. to the git commit).
APP_VERSION = (
    os.environ.get("APP_VERSION")
    or tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]["version"]
)

# One line per event, key=value after the logger name (every write logs its ceremony, version
# and editor); the pid tells apart the Daphne processes that share one journal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s pid=%(process)d %(message)s"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "null": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # A request naming a host not in ALLOWED_HOSTS (a scanner, an address typed in) is
        # answered 400 and logged by django.request in one line ("Bad Request: /"); its own
        # log record would add a traceback of some 30 lines per request, that anyone can send.
        "django.security.DisallowedHost": {"handlers": ["null"], "propagate": False},
    },
}

# Serve static files straight from the source folders in development (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
