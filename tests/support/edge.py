"""The readers' edge tier as the shipped files configure it (deploy/nginx/edge.conf and
edge-readers.conf): nginx with Debian's Nchan module in front of Daphne, as tests/support/nginx.py
runs the site. Only the listening address of the publisher changes; its URL is `publish_url`, what
EDGE_PUBLISH_URLS names."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.support import stack
from tests.support.nginx import DEPLOY, NGINX, Nginx
from tests.support.servers import ServerProcess, free_port

NCHAN = Path("/usr/share/nginx/modules/ngx_nchan_module.so")


def shipped(file: str, port: int, host: str = "127.0.0.1") -> str:
    """A shipped edge file with the publisher's address (127.0.0.1:8090) changed to
    `host`:`port` (on an edge host of its own, the address the origin hosts reach)."""
    text = (DEPLOY / "nginx" / file).read_text()
    old = "127.0.0.1:8090"
    assert text.count(old) == 1, f"deploy/nginx/{file} no longer has one {old!r}"
    return text.replace(old, f"{host}:{port}")


class Edge(Nginx):
    """nginx with the shipped site and the shipped edge tier: readers' sockets held by Nchan,
    the rest proxied to the upstreams. The publisher listens on `host` too: on a host of its
    own (a network namespace, `prefix`), that is the address the origin hosts reach."""

    def __init__(self, upstreams, tmp: Path, host: str = "127.0.0.1", prefix: tuple = ()):
        super().__init__(upstreams, tmp, host, prefix)
        self.publish_port = free_port()
        self.publish_url = f"http://{host}:{self.publish_port}/pub"
        (tmp / "edge.conf").write_text(shipped("edge.conf", self.publish_port, host))
        (tmp / "tracker-edge-readers.conf").write_text(
            shipped("edge-readers.conf", self.publish_port, host)
        )
        main = (tmp / "nginx.conf").read_text()
        assert f"    include {tmp / 'tracker.conf'};" in main
        main = f"load_module {NCHAN};\n" + main.replace(
            f"    include {tmp / 'tracker.conf'};",
            f"    include {tmp / 'tracker.conf'};\n    include {tmp / 'edge.conf'};",
        )
        (tmp / "nginx.conf").write_text(main)


class Heartbeat(ServerProcess):
    """`manage.py edge_heartbeat` as deploy/systemd/tracker-edge-heartbeat.service runs it, with
    `env` (its EDGE_PUBLISH_URLS), on the host whose command prefix is `prefix`. Up once it
    runs: whether it has seeded an edge, the edge's publisher says."""

    name = "edge-heartbeat"

    def __init__(self, env: dict[str, str], prefix: tuple = ()):
        super().__init__(env=env)
        self.prefix = list(prefix)

    def command(self) -> list[str]:
        return [*self.prefix, sys.executable, "manage.py", "edge_heartbeat"]

    def answers(self) -> bool:
        return True


def holds(publish_url: str, slug: str) -> bool:
    """Does the edge whose publisher is `publish_url` hold the ceremony's channel?"""
    try:
        with urllib.request.urlopen(f"{publish_url}/live/{slug}", timeout=2):
            return True
    except OSError:
        return False


def plain_config(
    tmp: Path, port: int, publish_port: int, workers: int = 1, one_channel: bool = False
) -> Path:
    """For the benchmarks: nginx with only the shipped edge files, readers on plain HTTP at
    `port` (as the floor and Daphne are measured, without TLS), `workers` worker processes;
    nothing proxied (the desk's route points nowhere). Returns the main config's path."""
    (tmp / "edge.conf").write_text(shipped("edge.conf", publish_port))
    readers = shipped("edge-readers.conf", publish_port)
    if one_channel:
        # For comparison: the `live` channel alone (no heartbeats reach the readers).
        old = "nchan_channel_id live/$1 beat/$1;"
        assert old in readers
        readers = readers.replace(old, "nchan_channel_id live/$1;")
    (tmp / "edge-readers.conf").write_text(readers)
    for kind in ("client_body", "proxy"):
        (tmp / kind).mkdir(exist_ok=True)
    main = tmp / "nginx.conf"
    main.write_text(f"""load_module {NCHAN};
worker_processes {workers};
worker_rlimit_nofile 200000;
pid {tmp / "nginx.pid"};
error_log {tmp / "error.log"} warn;
events {{ worker_connections 100000; multi_accept on; }}
http {{
    access_log off;
    client_body_temp_path {tmp / "client_body"};
    proxy_temp_path {tmp / "proxy"};
    upstream tracker {{ server 127.0.0.1:9; }}
    include {tmp / "edge.conf"};
    server {{
        listen 127.0.0.1:{port} backlog=4096{" reuseport" if workers > 1 else ""};
        include {tmp / "edge-readers.conf"};
    }}
}}
""")
    return main


class PlainEdge:
    """For the benchmarks: nginx with the shipped edge files on plain HTTP (`plain_config`), and
    `manage.py edge_heartbeat` publishing to it; nginx can be killed (every one of its
    processes, as a host lost) and started again while the heartbeat goes on."""

    def __init__(
        self, env: dict, port: int, folder: Path, workers: int = 1, one_channel: bool = False
    ):
        folder.mkdir(parents=True, exist_ok=True)
        self.port, self.folder = port, folder
        self.publish_url = f"http://127.0.0.1:{port + 50}/pub"
        self.main = plain_config(folder, port, port + 50, workers, one_channel)
        self.env = {**env, "EDGE_PUBLISH_URLS": self.publish_url}
        self.nginx: subprocess.Popen | None = None
        self.heartbeat: subprocess.Popen | None = None

    def start(self) -> "PlainEdge":
        """nginx, the heartbeat if it is not running yet, and wait until the edge holds the
        ceremony (the heartbeat seeds it)."""
        self.nginx = subprocess.Popen(
            [
                *(NGINX, "-p", self.folder, "-c", self.main),
                *("-e", self.folder / "error.log", "-g", "daemon off;"),
            ],
            stderr=(self.folder / "nginx.out").open("a"),
            start_new_session=True,
        )
        if self.heartbeat is None:
            self.heartbeat = subprocess.Popen(
                [stack.PYTHON, "manage.py", "edge_heartbeat"],
                cwd=stack.PROJECT,
                env=self.env,
                stderr=(self.folder / "heartbeat.log").open("a"),
            )
        live = f"{self.publish_url}/live/{stack.SLUG}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(live, timeout=2):
                    return self
            except OSError:
                time.sleep(0.1)
        # Not left running: the caller never gets this edge to stop.
        self.stop()
        raise RuntimeError(f"the edge did not get the ceremony's channel: {self.folder}")

    def workers(self) -> list[int]:
        """The master's worker processes (the master itself only waits)."""
        pid = self.nginx.pid
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]

    def cpu_seconds(self) -> float:
        return sum(stack.cpu_seconds(pid) for pid in self.workers())

    def kill(self) -> None:
        os.killpg(self.nginx.pid, signal.SIGKILL)
        self.nginx.wait()

    def stop(self) -> None:
        for process in (self.heartbeat, self.nginx):
            # SIGTERM: nginx's fast stop, its workers with it.
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
