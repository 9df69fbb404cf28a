"""The production shape, on this machine: nginx with the shipped site config (deploy/nginx) over
TLS in front of two Daphne processes started as the shipped systemd unit starts them, on one
PostgreSQL database and one Redis. Readers hold websockets through nginx on both processes, an
editor records results on the live desk through nginx, and one process is restarted meanwhile.
The edge cache (what it keeps, for how long, what never) and the limits of the shipped files.

Only what a test cannot use is changed in the config (tests/support/nginx.py).
"""

import contextlib
import json
import re
import socket
import ssl
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from ceremony.models import AuditEntry, Category, Ceremony
from tests.support.builders import make_ceremony, record
from tests.support.desk import Editor, make_desk_editor
from tests.support.environment import unavailable
from tests.support.nginx import (
    APP_VERSION,
    DEPLOY,
    NGINX,
    Nginx,
    NoRedirect,
    Upstream,
    running,
    shipped_directive,
)
from tests.support.readers import Reader, describe
from tests.support.servers import server_env, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def reader_through(nginx: Nginx, slug: str, only: str | None = None) -> Reader:
    """A reader's socket through nginx."""
    return Reader(nginx.socket_url(slug), nginx.base, ssl=nginx.ssl, only=only)


@pytest.fixture
def stack():
    if not NGINX.exists():
        unavailable("needs nginx (apt-get install nginx)")
    with tempfile.TemporaryDirectory(prefix="nginx-") as tmp:
        env = {
            **server_env(),
            "SECURE_SSL": "true",
            "APP_VERSION": APP_VERSION,
            "ALLOWED_HOSTS": "127.0.0.1",
        }
        upstreams = [Upstream(env), Upstream(env)]
        nginx = Nginx(upstreams, Path(tmp))
        for upstream in upstreams:
            # What a browser sends as Origin on this test's port; production's is the site.
            upstream.env = {**env, "CSRF_TRUSTED_ORIGINS": nginx.base}
        with running(nginx, upstreams):
            yield nginx, upstreams


@pytest.fixture
def desk_editor():
    return make_desk_editor()


def show_ceremony() -> Ceremony:
    return make_ceremony(
        {f"Best Thing {i}": [f"Film {i}a", f"Film {i}b", f"Film {i}c"] for i in range(1, 7)}
    )


def test_nginx_serves_the_site_over_tls_with_the_security_headers(stack):
    nginx, upstreams = stack
    ceremony = show_ceremony()

    status, headers, body = nginx.get(f"/ceremonies/{ceremony.slug}/")
    assert status == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"

    # Static files come from nginx itself, named by content hash and cached for a year.
    stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', body).group(1).decode()
    status, headers, _ = nginx.get(stylesheet)
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "X-Upstream" not in headers

    status, headers, _ = nginx.get(
        f"/ceremonies/{ceremony.slug}/", f"http://127.0.0.1:{nginx.http_port}"
    )
    assert status == 301
    assert headers["Location"] == f"https://127.0.0.1/ceremonies/{ceremony.slug}/"

    # The client's address is the one nginx saw, whatever it claims (login throttling counts
    # per address).
    spoofed = urllib.request.Request(
        f"{nginx.base}/healthz?spoof", headers={"X-Forwarded-For": "203.0.113.9"}
    )
    with nginx.opener().open(spoofed, timeout=10) as response:
        assert response.status == 200
    logs = "".join(upstream.log_text() for upstream in upstreams)
    assert '"GET /healthz?spoof"' in logs
    assert "203.0.113.9" not in logs

    status, _, body = nginx.get("/healthz")
    assert status == 200
    assert json.loads(body) == {
        "status": "ok",
        "version": APP_VERSION,
        "database": "ok",
        "redis": "ok",
    }


def test_admin_cookies_are_https_only_behind_tls(stack, desk_editor):
    nginx, _ = stack
    editor = Editor(nginx)

    editor.log_in(desk_editor.username)

    cookies = {cookie.name: cookie for cookie in editor.cookies}
    assert cookies["sessionid"].secure
    assert cookies["csrftoken"].secure
    assert cookies["sessionid"].has_nonstandard_attr("HttpOnly")


def test_websocket_from_another_origin_is_refused_through_nginx(stack):
    nginx, _ = stack
    ceremony = show_ceremony()

    with pytest.raises(InvalidStatus) as refused:
        connect(
            f"wss://127.0.0.1:{nginx.https_port}/ws/ceremonies/{ceremony.slug}/",
            ssl=nginx.ssl,
            origin="https://evil.example.org",
            open_timeout=5,
        )
    assert refused.value.response.status_code == 403


def test_every_reader_gets_every_version_across_a_rolling_restart(stack, desk_editor):
    nginx, (first, second) = stack
    ceremony = show_ceremony()
    categories = list(ceremony.categories.in_order())
    editor = Editor(nginx)
    editor.log_in(desk_editor.username)
    editor.open_desk(ceremony)

    readers = []

    def explain() -> str:
        return describe(readers) + "\nnginx:\n" + nginx.error_log()

    def everyone_gets(version: int, what: str) -> None:
        wait_for(lambda: all(r.latest() == version for r in readers), what, explain=explain)

    for _ in range(6):
        reader = reader_through(nginx, ceremony.slug)
        reader.start()
        readers.append(reader)
        # Long enough for one attempt given up and a second: about one run in ten under load,
        # an upgrade through nginx gets no answer, and the reader gives it up after
        # readers.OPEN_TIMEOUT and tries again (docs/reliability.md).
        wait_for(lambda r=reader: r.versions, "a reader's first snapshot", 30, explain=explain)
    try:
        start = ceremony.version
        assert {r.versions[0] for r in readers} == {start}
        on_first = [r for r in readers if r.upstream == first.address]
        on_second = [r for r in readers if r.upstream == second.address]
        assert on_first, explain()
        assert on_second, explain()

        versions = []
        for category in categories[:3]:
            versions.append(editor.record(ceremony, category))
            everyone_gets(versions[-1], f"every reader to get version {versions[-1]}")

        # The rolling restart's first step: one process stops (SIGTERM, as systemd sends).
        first.stop()
        wait_for(
            lambda: all(r.upstream == second.address for r in on_first),
            "the first process's readers to reconnect through nginx to the second",
            30,
            explain=explain,
        )
        # A write while a process is down lands (nginx passes the refused POST on), and
        # reaches everyone.
        versions.append(editor.record(ceremony, categories[3]))
        everyone_gets(versions[-1], "every reader to get the write made while one was down")

        first.start()
        versions.append(editor.record(ceremony, categories[4]))
        everyone_gets(versions[-1], "every reader to converge after the restart")
        # The restarted process takes readers again: nginx sends new ones to the emptier
        # process once the 5 s fail_timeout that its refusals started has passed.
        newcomer = reader_through(nginx, ceremony.slug, only=first.address)
        newcomer.start()
        readers.append(newcomer)
        wait_for(
            lambda: newcomer.versions, "a reader on the restarted process", 30, explain=explain
        )
        assert newcomer.latest() == versions[-1]
        versions.append(editor.record(ceremony, categories[5]))
        everyone_gets(versions[-1], "every reader, on both processes, to get the last version")
    finally:
        for reader in readers:
            reader.stop()

    for reader in readers[:-1]:
        # Every version, in order; a reconnect may repeat the version it resumed at, no more.
        seen = sorted(set(reader.versions))
        assert seen == [start, *versions], (reader.upstreams, reader.versions, reader.errors)
        assert reader.versions == sorted(reader.versions)
    for reader in on_first:
        assert len(reader.upstreams) == 2, reader.upstreams

    # Every write is logged with its version and editor, by whichever process made it.
    logs = first.log_text() + second.log_text()
    for version in versions:
        assert re.search(
            rf"write ceremony={ceremony.slug} version={version} action=record "
            rf"category=\S+ editor={desk_editor.username}\b",
            logs,
        ), logs[-3000:]
    assert AuditEntry.objects.filter(ceremony=ceremony, editor=desk_editor).count() == len(versions)


# --- the edge cache and the limits --------------------------------------------------------------


def nginx_site(nginx: Nginx) -> str:
    return (nginx.tmp / "tracker.conf").read_text()


def record_first(ceremony: Ceremony, category: Category) -> int:
    """Record the category's first nominee through the services; the version it made."""
    nomination = category.nominations.order_by("order", "pk").first()
    record(ceremony, category.name, nomination.film_title)
    return Ceremony.objects.get(pk=ceremony.pk).version


def origin_requests(nginx: Nginx, path: str) -> int:
    """Requests for `path` that nginx passed to a process (its access log names the upstream)."""
    return sum(
        1 for line in nginx.access_log() if line.split()[1] == path and not line.endswith(" -")
    )


def test_the_edge_keeps_the_page_and_the_api_a_second_and_asks_the_origin_once_per_url(stack):
    nginx, _ = stack
    ceremony = show_ceremony()
    api = f"/api/ceremonies/{ceremony.slug}/"

    # 40 requests at once for a URL nobody asked for yet: one goes to a process.
    with ThreadPoolExecutor(max_workers=40) as pool:
        answers = list(pool.map(lambda _: nginx.get(api), range(40)))
    assert {status for status, _, _ in answers} == {200}
    assert len({body for _, _, body in answers}) == 1
    assert origin_requests(nginx, api) == 1, nginx.access_log()[-45:]

    status, headers, _ = nginx.get(api)
    assert (status, headers["X-Cache"]) == (200, "HIT")
    # The origin's headers pass through: browsers still revalidate with the ETag.
    assert headers["Cache-Control"] == "no-cache"
    assert headers["ETag"] == f'"v{ceremony.version}"'

    page = f"/ceremonies/{ceremony.slug}/"
    assert nginx.get(page)[1]["X-Cache"] == "MISS"
    assert nginx.get(page)[1]["X-Cache"] == "HIT"
    # A query string the views do not read is the same page: it cannot push others out.
    assert nginx.get(f"{page}?x=81273")[1]["X-Cache"] in {"HIT", "UPDATING", "STALE"}

    # A new version is served within about a second, without a request waiting for it.
    version = record_first(ceremony, ceremony.categories.in_order().first())
    wait_for(
        lambda: json.loads(nginx.get(api)[2])["version"] == version,
        "the edge to serve the new version",
        5,
    )


def test_the_edge_never_keeps_websockets_the_admin_sessions_posts_or_revalidations(stack):
    nginx, _ = stack
    ceremony = show_ceremony()
    api = f"/api/ceremonies/{ceremony.slug}/"
    nginx.get(api)

    def cache_status(path, headers=None, data=None) -> str | None:
        request = urllib.request.Request(nginx.base + path, data=data, headers=headers or {})
        try:
            with nginx.opener().open(request, timeout=10) as response:
                return response.headers.get("X-Cache")
        except urllib.error.HTTPError as exc:
            return exc.headers.get("X-Cache")

    # An editor's session, and a reader's resync (live.js fetches with cache: "no-cache").
    assert cache_status(api, {"Cookie": "sessionid=an-editors-session"}) == "BYPASS"
    assert cache_status(api, {"Cache-Control": "no-cache"}) == "BYPASS"
    # Nothing but the page and the API is looked up: the admin, and a POST to anything.
    assert cache_status("/admin/login/") is None
    assert cache_status("/admin/login/") is None
    assert cache_status(api, data=b"x=1") in (None, "MISS", "BYPASS")
    assert not re.search(r"^GET /ws/.* (HIT|MISS|STALE|UPDATING)", "\n".join(nginx.access_log()))
    # A websocket still works through it.
    with connect(nginx.socket_url(ceremony.slug), ssl=nginx.ssl, origin=nginx.base) as socket:
        assert json.loads(socket.recv(timeout=5))["type"] == "snapshot"


def test_the_edge_asks_the_processes_for_the_uri_its_cache_key_names(stack):
    nginx, _ = stack
    ceremony = show_ceremony()
    page = f"/ceremonies/{ceremony.slug}/"

    # nginx reads this as the ceremony's page (and keeps it under that page's key); the
    # processes must be asked for that page too, not for the raw URI (a 404 from Django).
    status, headers, body = nginx.get(f"/ceremonies/elsewhere/../{ceremony.slug}/")

    assert status == 200
    assert ceremony.name in body.decode()
    status, headers, again = nginx.get(page)
    assert (status, headers["X-Cache"]) == (200, "HIT")
    assert again == body


def closed_without_an_answer(url: str, host: str, context=None) -> bool:
    request = urllib.request.Request(url, headers={"Host": host})
    handlers = [urllib.request.HTTPSHandler(context=context)] if context else []
    try:
        with urllib.request.build_opener(*handlers).open(request, timeout=10):
            return False
    except urllib.error.HTTPError:
        return False
    except (urllib.error.URLError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        return isinstance(reason, ConnectionError) or "closed" in str(reason).lower()


def test_a_request_for_an_unknown_host_is_closed_without_an_answer(stack):
    nginx, _ = stack
    plain = f"http://127.0.0.1:{nginx.http_port}/"

    assert closed_without_an_answer(nginx.base + "/", "evil.example", nginx.ssl)
    assert closed_without_an_answer(plain, "evil.example")
    # The site's own name is still answered, on both ports.
    assert nginx.get("/healthz")[0] == 200
    with pytest.raises(urllib.error.HTTPError, match="301"):
        urllib.request.build_opener(NoRedirect).open(plain, timeout=10)
    # In production, a TLS handshake naming another host is refused outright.
    assert shipped_directive("ssl_reject_handshake", "tracker.conf") == "on"


def test_the_shipped_limits_fit_ten_thousand_readers_per_process():
    unit = (DEPLOY / "systemd" / "tracker-daphne@.service").read_text()
    site = (DEPLOY / "nginx" / "tracker.conf").read_text()
    readers = 10_000

    # A Daphne process: one descriptor per reader, its Redis pool and more besides.
    open_files = int(re.search(r"^LimitNOFILE=(\d+)$", unit, re.MULTILINE).group(1))
    assert open_files >= 2 * readers
    # nginx: two connections per reader (the reader's, the one to Daphne) within one worker,
    # and each worker may open twice as many files as its connections.
    connections = int(shipped_directive("worker_connections"))
    assert connections >= 2 * readers
    assert int(shipped_directive("worker_rlimit_nofile")) >= 2 * connections
    # One address may hold some connections, never a process's worth.
    zone = re.search(r"limit_conn_zone \$binary_remote_addr zone=(\w+):\d+m;", site).group(1)
    per_address = int(re.search(rf"^\s*limit_conn {zone} (\d+);", site, re.MULTILINE).group(1))
    assert 10 <= per_address <= readers // 100
    assert re.search(r"^\s*limit_conn_status 429;", site, re.MULTILINE)


def test_one_address_past_its_connection_cap_is_refused_with_429(stack):
    nginx, _ = stack
    cap = int(re.search(r"limit_conn tracker_per_address (\d+);", nginx_site(nginx)).group(1))

    def held_request() -> ssl.SSLSocket:
        # A request whose body never comes: nginx counts it (as it counts a websocket) while it
        # waits, and no process sees it.
        raw = socket.create_connection(("127.0.0.1", nginx.https_port), timeout=10)
        held = nginx.ssl.wrap_socket(raw, server_hostname="127.0.0.1")
        held.sendall(b"POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 9\r\n\r\n")
        return held

    with contextlib.ExitStack() as holding:
        for _ in range(cap):
            holding.enter_context(held_request())
        wait_for(lambda: nginx.get("/healthz")[0] == 429, "the 429 past the cap", 10)
    wait_for(lambda: nginx.get("/healthz")[0] == 200, "the address served again", 10)
