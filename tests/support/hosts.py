"""Hosts on one machine: network namespaces, each with its own address on a bridge of the test's
own (no uplink, a private /24: nothing leaves it), and a forwarder that lets them reach this
machine's PostgreSQL and Redis, which listen on loopback only, through the bridge's address (the
"data host"). Needs root and `ip netns`; everything is removed on leaving, whatever happened."""

import asyncio
import os
import shutil
import subprocess
import threading

from django.conf import settings

from tests.support.servers import server_env

IP = shutil.which("ip") or "/usr/sbin/ip"


def can_make_hosts() -> str | None:
    """Why namespaces cannot be made here, or None."""
    if os.geteuid() != 0:
        return "needs root for network namespaces"
    if not os.path.exists(IP):
        return "needs iproute2's ip (apt-get install iproute2)"
    probe = f"trk-probe-{os.getpid()}"
    made = subprocess.run([IP, "netns", "add", probe], capture_output=True, text=True)
    if made.returncode != 0:
        return f"needs `ip netns add` to work ({made.stderr.strip()})"
    subprocess.run([IP, "netns", "del", probe], capture_output=True)
    return None


def ip(*args: str, netns: str | None = None) -> None:
    command = [IP, *(["-n", netns] if netns else []), *args]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}: {done.stderr.strip()}")


class Hosts:
    """Namespaces named after `names` on the bridge 10.231.<subnet>.0/24: the bridge (this
    machine, the data host) is .1, the hosts .2, .3, ... in order. A context manager."""

    def __init__(self, names: list[str], subnet: int | None = None):
        self.tag = f"{os.getpid() % 10000}"
        subnet = subnet if subnet is not None else 100 + os.getpid() % 150
        self.prefix = f"10.231.{subnet}"
        self.bridge = f"trkbr{self.tag}"
        self.gateway = f"{self.prefix}.1"
        self.names = list(names)
        self.address = {name: f"{self.prefix}.{n + 2}" for n, name in enumerate(names)}
        self.netns = {name: f"trk{self.tag}-{name}" for name in names}
        self._made: list[tuple[str, str]] = []

    def _link(self, name: str) -> str:
        # Interface names are at most 15 characters.
        return f"trk{self.tag}h{self.names.index(name)}"

    def __enter__(self) -> "Hosts":
        try:
            ip("link", "add", self.bridge, "type", "bridge")
            self._made.append(("link", self.bridge))
            ip("addr", "add", f"{self.gateway}/24", "dev", self.bridge)
            ip("link", "set", self.bridge, "up")
            for name in self.names:
                netns, outside = self.netns[name], self._link(name)
                ip("netns", "add", netns)
                self._made.append(("netns", netns))
                ip("link", "set", "lo", "up", netns=netns)
                ip("link", "add", outside, "type", "veth", "peer", "name", "eth0", "netns", netns)
                self._made.append(("link", outside))
                ip("link", "set", outside, "master", self.bridge)
                ip("link", "set", outside, "up")
                ip("addr", "add", f"{self.address[name]}/24", "dev", "eth0", netns=netns)
                ip("link", "set", "eth0", "up", netns=netns)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        for kind, name in reversed(self._made):
            subprocess.run([IP, kind, "del", name], capture_output=True)
        self._made = []

    def run_in(self, name: str) -> list[str]:
        """The command prefix that runs a command on host `name`."""
        return [IP, "netns", "exec", self.netns[name]]

    def cut(self, name: str) -> None:
        """Host `name` drops off the network: its link goes down, both ends."""
        ip("link", "set", self._link(name), "down")
        ip("link", "set", "eth0", "down", netns=self.netns[name])


class Forwarder:
    """TCP from `listen_host`:port to 127.0.0.1:port for each port in `ports`, in a thread of
    its own: how the hosts reach this machine's PostgreSQL and Redis. A context manager."""

    def __init__(self, listen_host: str, ports: list[int]):
        self.listen_host, self.ports = listen_host, ports
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.servers = []

    def __enter__(self) -> "Forwarder":
        self.thread.start()
        for port in self.ports:
            started = asyncio.run_coroutine_threadsafe(self._serve(port), self.loop)
            self.servers.append(started.result(timeout=10))
        return self

    def __exit__(self, *exc) -> None:
        async def close():
            for server in self.servers:
                server.close()
            for task in asyncio.all_tasks() - {asyncio.current_task()}:
                task.cancel()

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)

    async def _serve(self, port: int):
        async def handle(reader, writer):
            try:
                upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                writer.close()
                return
            await asyncio.gather(
                self._pipe(reader, upstream_writer),
                self._pipe(upstream_reader, writer),
                return_exceptions=True,
            )

        return await asyncio.start_server(handle, self.listen_host, port)

    @staticmethod
    async def _pipe(reader, writer) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()


def app_env(hosts: Hosts) -> tuple[dict, list[int]]:
    """The environment of an app host's processes: this run's database and Redis reached through
    the bridge (the data host), production's TLS settings, every host's address allowed; and the
    ports a `Forwarder` must pass to them."""
    db_port = int(settings.DATABASES["default"].get("PORT") or 5432)
    redis_port = int(settings.REDIS_URL.rsplit(":", 1)[1].split("/")[0])
    env = server_env()
    env |= {
        "DATABASE_URL": env["DATABASE_URL"].replace("@127.0.0.1:", f"@{hosts.gateway}:"),
        "REDIS_URL": env["REDIS_URL"].replace("//127.0.0.1:", f"//{hosts.gateway}:"),
        "REDIS_PREFIX": settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"],
        "SECURE_SSL": "true",
        "ALLOWED_HOSTS": ",".join(hosts.address.values()),
    }
    assert hosts.gateway in env["DATABASE_URL"]
    assert hosts.gateway in env["REDIS_URL"]
    return env, [db_port, redis_port]
