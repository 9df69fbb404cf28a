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
