"""The production shape, on this machine: nginx with the shipped site config (deploy/nginx) over
TLS in front of two Daphne processes started as the shipped systemd unit starts them, on one
PostgreSQL database and one Redis. Readers hold websockets through nginx on both processes, an
editor records results on the live desk through nginx, and one process is restarted meanwhile.

Only what a test cannot use is changed in the config: the listening addresses, the certificate,
the static folder, the upstream ports, and a response header naming the upstream.
"""

import http.cookiejar
import json
import os
import re
import shlex
import ssl
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from ceremony.models import AuditEntry, Category, Ceremony
from tests.support.builders import make_ceremony
from tests.support.environment import PROJECT, unavailable
from tests.support.readers import Reader, describe
from tests.support.servers import DaphneServer, ServerProcess, free_port, server_env, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

DEPLOY = PROJECT / "deploy"
NGINX = Path("/usr/sbin/nginx")
PASSWORD = "correct horse battery staple"
APP_VERSION = "deploy-test-1"
TIMEOUT = 15


def unit_arguments(port: int) -> list[str]:
    """Daphne's arguments as deploy/systemd/tracker-daphne@.service gives them."""
    unit = (DEPLOY / "systemd" / "tracker-daphne@.service").read_text()
    exec_start = re.search(r"^ExecStart=(.+)$", unit, re.MULTILINE).group(1)
    binary, *args = shlex.split(exec_start.replace("%i", str(port)))
    assert binary.endswith("/daphne"), exec_start
    return args


class Upstream(DaphneServer):
    """A Daphne process as systemd runs it: behind nginx, with the HTTPS-only settings."""

    ready_path = "/healthz"

    def __init__(self, env: dict[str, str]):
        super().__init__(env)
        self.address = f"127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "daphne", *unit_arguments(self.port)]


def site_config(upstreams, http_port: int, https_port: int, cert: Path, key: Path) -> str:
    text = (DEPLOY / "nginx" / "tracker.conf").read_text()
    edits = {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "/etc/letsencrypt/live/awards.example.org/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/awards.example.org/privkey.pem": str(key),
        "/srv/tracker/staticfiles/": f"{PROJECT / 'staticfiles'}/",
        "127.0.0.1:8001": upstreams[0].address,
        "127.0.0.1:8002": upstreams[1].address,
        # So the test can tell which process a reader landed on.
        "proxy_pass http://tracker;": "proxy_pass http://tracker;\n"
        "        add_header X-Upstream $upstream_addr always;",
    }
    for old, new in edits.items():
        assert text.count(old) == 1, f"deploy/nginx/tracker.conf no longer has one {old!r}"
        text = text.replace(old, new)
    return text


def main_config(tmp: Path) -> str:
    # Everything nginx writes goes to the temporary folder; /etc/nginx is only read (mime.types).
    # As root (CI), workers would run as nobody, who may not read the checkout's static files.
    user = "user root;" if os.geteuid() == 0 else ""
    temp_paths = "\n".join(
        f"    {kind}_temp_path {tmp / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}
worker_processes 1;
pid {tmp / "nginx.pid"};
error_log {tmp / "error.log"} info;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp / "access.log"};
{temp_paths}
    include {tmp / "tracker.conf"};
}}
"""


class Nginx(ServerProcess):
    """nginx with the shipped site config, in front of the upstreams. Stopped with SIGTERM,
    nginx's fast stop: a graceful one would wait for the websockets."""

    name = "nginx"
    scheme = "https"
    ready_path = "/healthz"
    start_timeout = TIMEOUT

    def __init__(self, upstreams, tmp: Path):
        super().__init__(log_path=tmp / "nginx.out")
        self.tmp = tmp
        self.http_port, self.https_port = free_port(), self.port
        self.base = self.url
        cert, key = tmp / "cert.pem", tmp / "key.pem"
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
                *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
                *("-addext", "subjectAltName=IP:127.0.0.1"),
            ],
            check=True,
            capture_output=True,
        )
        self.ssl = ssl.create_default_context(cafile=str(cert))
        (tmp / "tracker.conf").write_text(
            site_config(upstreams, self.http_port, self.https_port, cert, key)
        )
        (tmp / "nginx.conf").write_text(main_config(tmp))
        self.invocation = [str(NGINX), "-p", str(tmp), "-c", str(tmp / "nginx.conf")]
        self.invocation += ["-e", str(tmp / "error.log")]

    def command(self) -> list[str]:
        return [*self.invocation, "-g", "daemon off;"]

    def start(self) -> "Nginx":
        checked = subprocess.run([*self.invocation, "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        return super().start()

    def answers(self) -> bool:
        return self.get(self.ready_path)[0] == 200

    def get(self, path: str, base: str | None = None) -> tuple[int, dict, bytes]:
        try:
            with self.opener().open((base or self.base) + path, timeout=10) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read()
        except OSError:
            return 0, {}, b""

    def opener(self, *handlers) -> urllib.request.OpenerDirector:
        return urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=self.ssl), NoRedirect(), *handlers
        )

    def error_log(self) -> str:
        return (self.tmp / "error.log").read_text(errors="replace")[-3000:]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Editor:
    """An editor's browser: logs in on the admin form and posts the live desk's forms."""

    def __init__(self, nginx: Nginx):
        self.nginx = nginx
        self.cookies = http.cookiejar.CookieJar()
        self.opener = nginx.opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.token = ""

    def request(self, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        url = self.nginx.base + path
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        # As a browser sends them: Django checks both against the site for HTTPS posts.
        headers = {"Referer": url, "Origin": self.nginx.base} if data is not None else {}
        request = urllib.request.Request(url, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read().decode(errors="replace")

    def read_token(self, html: str) -> None:
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def log_in(self, username: str) -> None:
        status, _, html = self.request("/admin/login/")
        assert status == 200, html[:500]
        self.read_token(html)
        status, headers, html = self.request(
            "/admin/login/",
            {
                "username": username,
                "password": PASSWORD,
                "next": "/admin/",
                "csrfmiddlewaretoken": self.token,
            },
        )
        assert status == 302, html[:2000]
        assert headers["Location"] == "/admin/"

    def open_desk(self, ceremony: Ceremony) -> None:
        status, _, html = self.request(f"/admin/ceremony/ceremony/{ceremony.pk}/desk/")
        assert status == 200, html[:2000]
        self.read_token(html)

    def record(self, ceremony: Ceremony, category: Category) -> int:
        """Record the category's first nominee as its winner; the version the write made."""
        before = Ceremony.objects.get(pk=ceremony.pk).version
        status, headers, html = self.request(
            f"/admin/ceremony/ceremony/{ceremony.pk}/desk/record/",
            {
                "category": category.pk,
                "nomination": category.nominations.order_by("order", "pk").first().pk,
                "expected_revision": Category.objects.get(pk=category.pk).revision,
                "csrfmiddlewaretoken": self.token,
            },
        )
        assert status == 302, html[:2000]
        assert "/desk/" in headers["Location"]
        version = Ceremony.objects.get(pk=ceremony.pk).version
        assert version == before + 1, "the desk's write did not land"
        return version


def reader_through(nginx: Nginx, slug: str, only: str | None = None) -> Reader:
    """A reader's socket through nginx."""
    url = f"wss://127.0.0.1:{nginx.https_port}/ws/ceremonies/{slug}/"
    return Reader(url, nginx.base, ssl=nginx.ssl, only=only)


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
        try:
            for upstream in upstreams:
                upstream.start()
            nginx.start()
            yield nginx, upstreams
        finally:
            nginx.stop()
            for upstream in upstreams:
                upstream.stop()


@pytest.fixture
def desk_editor(django_user_model):
    # The permission, not the Editors group: a transactional test's flush removes the group.
    user = django_user_model.objects.create_user("night-editor", password=PASSWORD, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="use_live_desk"))
    return user


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
        wait_for(lambda r=reader: r.versions, "a reader's first snapshot", explain=explain)
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
