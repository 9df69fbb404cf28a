"""Redis as a primary, its replica and three sentinels, each a process of the test's own on
loopback, with its files in a temporary folder: what a Redis failover drill stands on. The
sentinels agree on a failure within about a second (`down-after-milliseconds` 1000)."""

import shutil
from pathlib import Path

import redis

from tests.support.servers import ServerProcess, poll

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
MASTER = "tracker"
QUORUM = 2


class RedisProcess(ServerProcess):
    """redis-server on loopback at `port`, nothing saved to disk; `extra` are further options
    of its command line (a config file's lines, as `--name value`); with `password`, it asks
    for it (requirepass) and gives it to its primary (masterauth)."""

    name = "redis"

    def __init__(self, port: int, workdir: Path, *extra: str, password: str | None = None):
        super().__init__(port, log_path=workdir / f"redis-{port}.log")
        self.workdir = workdir
        self.password = password
        self.extra = list(extra)
        if password:
            self.extra += ["--requirepass", password, "--masterauth", password]

    def command(self) -> list[str]:
        return [
            REDIS_SERVER,
            *("--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly"),
            *("no", "--dir", str(self.workdir), "--daemonize", "no"),
            *self.extra,
        ]

    def client(self) -> redis.Redis:
        return redis.Redis(
            port=self.port, password=self.password, socket_timeout=2, socket_connect_timeout=2
        )

    def answers(self) -> bool:
        try:
            with self.client() as client:
                return bool(client.ping())
        except redis.RedisError:
            return False


class SentinelProcess(RedisProcess):
    """A sentinel watching the primary at `primary_port` under the name MASTER."""

    name = "sentinel"

    def __init__(self, port: int, workdir: Path, primary_port: int, auth_pass: str | None = None):
        super().__init__(port, workdir)
        # A sentinel rewrites its config file as it learns: one file each.
        self.config = workdir / f"sentinel-{port}.conf"
        self.config.write_text(
            f"port {port}\nbind 127.0.0.1\ndir {workdir}\n"
            f"sentinel monitor {MASTER} 127.0.0.1 {primary_port} {QUORUM}\n"
            + (f"sentinel auth-pass {MASTER} {auth_pass}\n" if auth_pass else "")
            + f"sentinel down-after-milliseconds {MASTER} 1000\n"
            f"sentinel failover-timeout {MASTER} 10000\n"
        )

    def command(self) -> list[str]:
        return [REDIS_SERVER, str(self.config), "--sentinel"]

    def primary_port(self) -> int | None:
        try:
            with self.client() as client:
                address = client.execute_command("SENTINEL GET-MASTER-ADDR-BY-NAME", MASTER)
        except redis.RedisError:
            return None
        return int(address[1]) if address else None

    def knows_the_others(self) -> bool:
        """This sentinel has found the replica and the two other sentinels: it can vote and
        promote."""
        try:
            with self.client() as client:
                replicas = client.execute_command("SENTINEL REPLICAS", MASTER)
                others = client.execute_command("SENTINEL SENTINELS", MASTER)
        except redis.RedisError:
            return False
        return len(replicas) == 1 and len(others) == 2


class SentinelSet:
    """The primary at `ports[0]`, its replica at `ports[1]`, sentinels at `sentinel_ports`.
    A context manager: everything is stopped on leaving, whatever happened."""

    def __init__(
        self,
        workdir: Path,
        ports: tuple[int, int],
        sentinel_ports: tuple[int, ...],
        password: str | None = None,
    ):
        self.primary = RedisProcess(ports[0], workdir, password=password)
        self.replica = RedisProcess(
            ports[1], workdir, "--replicaof", "127.0.0.1", str(ports[0]), password=password
        )
        self.sentinels = [
            SentinelProcess(port, workdir, ports[0], auth_pass=password) for port in sentinel_ports
        ]

    @property
    def addresses(self) -> str:
        """REDIS_SENTINELS for the app's settings."""
        return ",".join(f"127.0.0.1:{sentinel.port}" for sentinel in self.sentinels)

    def __enter__(self) -> "SentinelSet":
        try:
            self.primary.start()
            self.replica.start()
            if not poll(self._replicating, 15):
                raise RuntimeError(f"the replica never synced:\n{self.replica.output()}")
            for sentinel in self.sentinels:
                sentinel.start()
            if not poll(lambda: all(s.knows_the_others() for s in self.sentinels), 20):
                raise RuntimeError(f"the sentinels never met:\n{self.sentinels[0].output()}")
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        for process in [*self.sentinels, self.replica, self.primary]:
            process.kill()

    def _replicating(self) -> bool:
        with self.replica.client() as client:
            return client.info("replication").get("master_link_status") == "up"

    def promoted(self) -> bool:
        """Every sentinel names the replica as the primary."""
        return all(s.primary_port() == self.replica.port for s in self.sentinels)
