"""nginx as the shipped files configure it (deploy/nginx), in front of Daphne processes started
as the shipped systemd unit starts them: what tests/test_deploy.py, the multi-host test and the
edge-cache benchmark run. Only what a test cannot use is changed: the listening addresses, the
certificate, the static folder, the cache folder, the upstream list, and a response header naming
the upstream."""

import contextlib
import os
import re
import shlex
import signal
import ssl
import subprocess
import sys
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.support.environment import PROJECT
from tests.support.servers import DaphneServer, ServerProcess, free_port

DEPLOY = PROJECT / "deploy"
NGINX = Path("/usr/sbin/nginx")
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
    """A Daphne process as systemd runs it: behind nginx, with the HTTPS-only settings; on
    `host` (another address than loopback: a network namespace's, its command then run through
    `prefix`, e.g. `ip netns exec NAME`)."""

    ready_path = "/healthz"

    def __init__(
        self,
        env: dict[str, str],
        host: str = "127.0.0.1",
        prefix: tuple = (),
        access_log: Path | None = None,
    ):
        super().__init__(env)
        self.host, self.prefix, self.access_log = host, list(prefix), access_log
        self.address = f"{host}:{self.port}"
        self.url = f"http://{self.address}"

    def command(self) -> list[str]:
        args = unit_arguments(self.port)
        endpoint = args.index("--endpoint") + 1
        args[endpoint] = args[endpoint].replace("interface=127.0.0.1", f"interface={self.host}")
        if self.access_log:
            args[:0] = ["--access-log", str(self.access_log)]
        return [*self.prefix, sys.executable, "-m", "daphne", *args]


def shipped_directive(name: str, file: str = "nginx.conf") -> str:
    """The value of a directive in one of the shipped nginx files."""
    text = (DEPLOY / "nginx" / file).read_text()
    return re.search(rf"^\s*{name}\s+([^;]+);", text, re.MULTILINE).group(1).strip()


def site_config(
    addresses: list[str], host: str, http_port: int, https_port: int, cert: Path, tmp: Path
) -> str:
    text = (DEPLOY / "nginx" / "tracker.conf").read_text()
    servers = "\n".join(f"    server {a} max_fails=1 fail_timeout=5s;" for a in addresses)
    edits = {
        "listen 80;": f"listen {host}:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen {host}:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "/etc/letsencrypt/live/awards.example.org/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/awards.example.org/privkey.pem": str(tmp / "key.pem"),
        "/srv/tracker/staticfiles/": f"{PROJECT / 'staticfiles'}/",
        "/var/cache/nginx/tracker": str(tmp / "cache"),
        # The edge tier's reader location, where tests/support/edge.py writes it.
        "/etc/nginx/snippets/tracker-edge-readers*.conf": str(tmp / "tracker-edge-readers*.conf"),
        "    server 127.0.0.1:8001 max_fails=1 fail_timeout=5s;\n"
        "    server 127.0.0.1:8002 max_fails=1 fail_timeout=5s;": servers,
    }
    for old, new in edits.items():
        assert text.count(old) == 1, f"deploy/nginx/tracker.conf no longer has one {old!r}"
        text = text.replace(old, new)
    # Both of the site's servers (port 80's redirect and the site) answer to the test's host.
    assert text.count("server_name awards.example.org;") == 2
    text = text.replace("server_name awards.example.org;", f"server_name {host};")
    # The default server for other hosts, on the test's ports. Clients reaching nginx by IP
    # address send no server name in their TLS handshake (SNI), so the default server must
    # complete it for them, with the test's certificate; which server answers is then decided
    # by the Host header, as with SNI.
    https = "ssl http2 default_server;"
    default = {
        "listen 80 default_server;": f"listen {host}:{http_port} default_server;",
        "listen [::]:80 default_server;": "",
        f"listen 443 {https}": f"listen {host}:{https_port} {https}",
        f"listen [::]:443 {https}": "",
        "ssl_reject_handshake on;": (
            f"ssl_certificate {cert};\n    ssl_certificate_key {tmp / 'key.pem'};"
        ),
    }
    for old, new in default.items():
        assert text.count(old) == 1, f"deploy/nginx/tracker.conf no longer has one {old!r}"
        text = text.replace(old, new)
    # So the test can tell which process answered.
    return text.replace(
        "proxy_pass http://tracker;",
        "proxy_pass http://tracker;\n        add_header X-Upstream $upstream_addr always;",
    )


def main_config(tmp: Path) -> str:
    # Everything nginx writes goes to the temporary folder; /etc/nginx is only read (mime.types).
    # As root (CI), workers would run as nobody, who may not read the checkout's static files.
    # The shipped limits (deploy/nginx/nginx.conf), with one worker.
    user = "user root;" if os.geteuid() == 0 else ""
    temp_paths = "\n".join(
        f"    {kind}_temp_path {tmp / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}
worker_processes 1;
worker_rlimit_nofile {shipped_directive("worker_rlimit_nofile")};
pid {tmp / "nginx.pid"};
error_log {tmp / "error.log"} info;
events {{ worker_connections {shipped_directive("worker_connections")}; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format tracker '$request $status $upstream_cache_status $upstream_addr';
    access_log {tmp / "access.log"} tracker;
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

    def __init__(self, upstreams, tmp: Path, host: str = "127.0.0.1", prefix: tuple = ()):
        super().__init__(log_path=tmp / "nginx.out")
        self.tmp = tmp
        self.http_port, self.https_port = free_port(), self.port
        self.base = self.url = f"https://{host}:{self.https_port}"
        cert, key = tmp / "cert.pem", tmp / "key.pem"
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
                *("-keyout", str(key), "-out", str(cert), "-subj", f"/CN={host}"),
                *("-addext", f"subjectAltName=IP:{host}"),
            ],
            check=True,
            capture_output=True,
        )
        self.ssl = ssl.create_default_context(cafile=str(cert))
        addresses = [upstream.address for upstream in upstreams]
        (tmp / "tracker.conf").write_text(
            site_config(addresses, host, self.http_port, self.https_port, cert, tmp)
        )
        (tmp / "nginx.conf").write_text(main_config(tmp))
        self.invocation = [*prefix, str(NGINX), "-p", str(tmp), "-c", str(tmp / "nginx.conf")]
        self.invocation += ["-e", str(tmp / "error.log")]

    def socket_url(self, slug: str) -> str:
        return self.base.replace("https://", "wss://") + f"/ws/ceremonies/{slug}/"

    def access_log(self) -> list[str]:
        """One line per request: `request status cache-status upstream`."""
        return (self.tmp / "access.log").read_text(errors="replace").splitlines()

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

    def _workers(self) -> list[int]:
        if not self.running():
            return []
        pid = self.pid
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]

    def stop(self) -> None:
        """As any server's, and its workers killed if one outlives the master (a worker
        holding websockets may take longer than the stop allows)."""
        workers = self._workers()
        super().stop()
        _kill(workers)

    def kill(self) -> None:
        """The master SIGKILLed, and its workers: they would outlive it (and a namespace)."""
        workers = self._workers()
        super().kill()
        _kill(workers)


def _kill(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@contextmanager
def running(nginx: Nginx, upstreams: list[Upstream], kill: bool = False):
    """The upstreams started, then nginx; all stopped on leaving (killed with `kill`: a
    process in a namespace being removed must not linger), whatever happened."""
    try:
        for upstream in upstreams:
            upstream.start()
        nginx.start()
        yield
    finally:
        for process in [nginx, *upstreams]:
            process.kill() if kill else process.stop()
