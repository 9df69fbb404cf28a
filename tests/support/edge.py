"""The readers' edge tier as the shipped files configure it (deploy/nginx/edge.conf and
edge-readers.conf): nginx with Debian's Nchan module in front of Daphne, as tests/support/nginx.py
runs the site. Only the listening address of the publisher changes; its URL is `publish_url`, what
EDGE_PUBLISH_URLS names."""

from pathlib import Path

from tests.support.nginx import DEPLOY, Nginx
from tests.support.servers import free_port

NCHAN = Path("/usr/share/nginx/modules/ngx_nchan_module.so")


def shipped(file: str, port: int) -> str:
    """A shipped edge file with the publisher's port (8090) changed to `port`."""
    text = (DEPLOY / "nginx" / file).read_text()
    old = "127.0.0.1:8090"
    assert text.count(old) == 1, f"deploy/nginx/{file} no longer has one {old!r}"
    return text.replace(old, f"127.0.0.1:{port}")


class Edge(Nginx):
    """nginx with the shipped site and the shipped edge tier: readers' sockets held by Nchan,
    the rest proxied to the upstreams."""

    def __init__(self, upstreams, tmp: Path, host: str = "127.0.0.1", prefix: tuple = ()):
        super().__init__(upstreams, tmp, host, prefix)
        self.publish_port = free_port()
        self.publish_url = f"http://127.0.0.1:{self.publish_port}/pub"
        (tmp / "edge.conf").write_text(shipped("edge.conf", self.publish_port))
        (tmp / "tracker-edge-readers.conf").write_text(
            shipped("edge-readers.conf", self.publish_port)
        )
        main = (tmp / "nginx.conf").read_text()
        assert f"    include {tmp / 'tracker.conf'};" in main
        main = f"load_module {NCHAN};\n" + main.replace(
            f"    include {tmp / 'tracker.conf'};",
            f"    include {tmp / 'tracker.conf'};\n    include {tmp / 'edge.conf'};",
        )
        (tmp / "nginx.conf").write_text(main)


def plain_config(tmp: Path, port: int, publish_port: int, workers: int = 1) -> Path:
    """For the benchmarks: nginx with only the shipped edge files, readers on plain HTTP at
    `port` (as the floor and Daphne are measured, without TLS), `workers` worker processes;
    nothing proxied (the desk's route points nowhere). Returns the main config's path."""
    (tmp / "edge.conf").write_text(shipped("edge.conf", publish_port))
    (tmp / "edge-readers.conf").write_text(shipped("edge-readers.conf", publish_port))
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
        listen 127.0.0.1:{port} backlog=4096;
        include {tmp / "edge-readers.conf"};
    }}
}}
""")
    return main
