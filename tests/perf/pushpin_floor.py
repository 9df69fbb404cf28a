"""The Pushpin trial (docs/performance.md, *The edge tier*): a bare origin behind Pushpin
(Debian's pushpin 1.36, GRIP's WebSocket-over-HTTP) that answers each reader's OPEN with a
subscription to one channel and version 0, then publishes versions 1..ANNOUNCEMENTS of SIZE bytes
through Pushpin's HTTP publish endpoint, one every INTERVAL seconds, printing
`committed version=<n> at=<t>` just before each, like floor_server.py. What Pushpin costs to
hold the readers and write each message, without Django in the way; fanout_bench.py's `pushpin`
setup runs it. Exits LINGER seconds after the last one.
"""

import argparse
import json
import re
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHANNEL = "ceremony"


def config(folder: Path, port: int, publish_port: int, origin_port: int) -> Path:
    """Debian's /etc/pushpin/pushpin.conf with everything it writes in `folder`, readers at
    `port`, the publish endpoint at `publish_port`, every request routed to the origin at
    `origin_port` over HTTP (WebSocket-over-HTTP), and the connection limit raised."""
    text = Path("/etc/pushpin/pushpin.conf").read_text()
    run = folder / "run"
    for sub in ("run", "log"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    values = {
        "rundir": run,
        "logdir": folder / "log",
        "http_port": port,
        "push_in_http_port": publish_port,
        "routesfile": folder / "routes",
        "client_maxconn": 60000,
        # Debian's default, 2,500 messages a second to connections, makes one message take
        # N / 2,500 s to reach N readers (80 ms at 200): the trial measures Pushpin unthrottled.
        "message_rate": 10_000_000,
        # The runner starts zurl, Pushpin's client to the origin: Debian's default is a
        # system-wide zurl.
        "services": "condure,zurl,pushpin-proxy,pushpin-handler",
    }
    for key, value in values.items():
        text, found = re.subn(rf"^{key}=.*$", f"{key}={value}", text, flags=re.MULTILINE)
        assert found == 1, key
    text = text.replace(
        "[proxy]\n",
        f"[proxy]\nzurl_out_specs=ipc://{run}/pushpin-zurl-in\n"
        f"zurl_out_stream_specs=ipc://{run}/pushpin-zurl-in-stream\n"
        f"zurl_in_specs=ipc://{run}/pushpin-zurl-out\n",
        1,
    )
    (folder / "routes").write_text(f"* 127.0.0.1:{origin_port},over_http\n")
    path = folder / "pushpin.conf"
    path.write_text(text)
    return path


def message(version: int, size: int) -> str:
    head = '{"type":"snapshot","snapshot":{"ceremony":{"version":' + str(version) + '},"pad":"'
    tail = '"}}'
    return head + "x" * max(0, size - len(head) - len(tail)) + tail


def event(kind: str, content: bytes = b"") -> bytes:
    if not content:
        return kind.encode() + b"\r\n"
    return kind.encode() + b" %x\r\n" % len(content) + content + b"\r\n"


def handler_class(size: int, opened: list):
    class Origin(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            out = b""
            if body.startswith(b"OPEN"):
                opened.append(1)
                subscribe = json.dumps({"type": "subscribe", "channel": CHANNEL}).encode()
                out = event("OPEN") + event("TEXT", b"c:" + subscribe)
                # With GRIP's extension a message from the origin is prefixed: m: or c:.
                out += event("TEXT", b"m:" + message(0, size).encode())
            self.send_response(200)
            self.send_header("Content-Type", "application/websocket-events")
            self.send_header("Sec-WebSocket-Extensions", "grip")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

    return Origin


def publish(url: str, text: str) -> None:
    item = {"items": [{"channel": CHANNEL, "formats": {"ws-message": {"content": text}}}]}
    request = urllib.request.Request(
        url, data=json.dumps(item).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True, help="the origin's")
    parser.add_argument("--publish", required=True, help="Pushpin's publish URL")
    parser.add_argument("--expect", type=int, required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--announcements", type=int, default=20)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--wait", type=float, default=300)
    parser.add_argument("--linger", type=float, default=10)
    args = parser.parse_args()
    opened: list = []
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler_class(args.size, opened))
    server.request_queue_size = 4096
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"listening on {args.port}", flush=True)
    # Every reader, or as many as opened before 5 s passed without a new one (a handshake
    # Pushpin failed is not retried by the benchmark's clients).
    deadline = time.monotonic() + args.wait
    last, quiet_since = 0, time.monotonic()
    while len(opened) < args.expect and time.monotonic() < deadline:
        if len(opened) != last:
            last, quiet_since = len(opened), time.monotonic()
        elif last and time.monotonic() - quiet_since > 5:
            break
        time.sleep(0.05)
    time.sleep(1)
    for version in range(1, args.announcements + 1):
        print(f"committed version={version} at={time.time():.6f}", flush=True)
        publish(args.publish, message(version, args.size))
        time.sleep(args.interval)
    time.sleep(args.linger)
    server.shutdown()


if __name__ == "__main__":
    main()
