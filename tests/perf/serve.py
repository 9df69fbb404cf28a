"""Run Daphne or uvicorn exactly as their own command lines do, optionally timing the process's
garbage collections or logging its snapshot builds:
`serve.py [--gc-log] [--log-builds] daphne ARGS...` (or `uvicorn ARGS...`).

With --gc-log, every full collection (generation 2), and any collection over 5 ms, is logged as
`gc generation=<g> pause_ms=<ms> collected=<n> at=<unix time>`, so the benchmark can say
whether collections land in the announcement path. Nothing else about the server changes.
"""

import gc
import sys
import time

SLOW_MS = 5.0


def log_collections() -> None:
    started = [0.0]

    def timer(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
            return
        pause = (time.perf_counter() - started[0]) * 1000
        if info["generation"] == 2 or pause > SLOW_MS:
            sys.stderr.write(
                f"gc generation={info['generation']} pause_ms={pause:.1f} "
                f"collected={info['collected']} at={time.time():.3f}\n"
            )
            sys.stderr.flush()

    gc.callbacks.append(timer)


def log_builds() -> None:
    """Log every snapshot build of this process (`ceremony.live` counts them but does not log)."""
    import django

    django.setup()
    import logging

    from ceremony import live

    build = live.make_snapshot
    log = logging.getLogger("perf.builds")

    def logged(ceremony):
        snap = build(ceremony)
        log.warning("snapshot build ceremony=%s version=%s", ceremony.pk, snap.version)
        return snap

    live.make_snapshot = logged


def hold_collections_during_pushes(flush_seconds: float = 1.0) -> None:
    """An experiment, not the app: no garbage collection from the start of a fan-out push until
    `flush_seconds` after it (Daphne writes the frames out after the loop), to measure how much
    of a push's time full collections take."""
    import asyncio

    import django

    django.setup()
    from ceremony.fanout import Fanout

    broadcast = Fanout.broadcast
    holds = [0]

    def release() -> None:
        holds[0] -= 1
        if not holds[0]:
            gc.enable()

    async def held(self, *args, **kwargs):
        holds[0] += 1
        gc.disable()
        try:
            return await broadcast(self, *args, **kwargs)
        finally:
            asyncio.get_running_loop().call_later(flush_seconds, release)

    Fanout.broadcast = held


def yield_during_pushes(every: int = 200) -> None:
    """An experiment, not the app: `Fanout.broadcast` as in ceremony/fanout.py, but giving the
    event loop a turn every `every` readers, so Daphne (Twisted) writes out the frames queued so
    far instead of holding all of them until the loop ends."""
    import asyncio
    import logging

    import django

    django.setup()
    from ceremony import fanout

    log = logging.getLogger("ceremony.fanout")

    async def broadcast(self, ceremony_id, snap, readers=None):
        self.delivered[ceremony_id] = max(snap.version, self.delivered.get(ceremony_id, -1))
        frame = {"type": "websocket.send", "text": snap.message}
        if readers is None:
            readers = list(self.readers.get(ceremony_id, ()))
        started = time.perf_counter()
        for n, reader in enumerate(readers, start=1):
            if reader.known_version is not None and reader.known_version >= snap.version:
                continue
            try:
                reader.known_version = snap.version
                await reader.base_send(frame)
            except Exception:
                log.debug("push failed", exc_info=True)
            if n % every == 0:
                await asyncio.sleep(0)
        log.info(
            "push ceremony=%s version=%s readers=%s in %.1f ms",
            ceremony_id,
            snap.version,
            len(readers),
            (time.perf_counter() - started) * 1000,
        )

    fanout.Fanout.broadcast = broadcast


def main() -> None:
    args = sys.argv[1:]
    while args and args[0].startswith("--"):
        option, *args = args
        {
            "--gc-log": log_collections,
            "--log-builds": log_builds,
            "--hold-gc-during-pushes": hold_collections_during_pushes,
            "--yield-during-pushes": yield_during_pushes,
        }[option]()
    server, *rest = args
    sys.argv = [server, *rest]
    if server == "daphne":
        from daphne.cli import CommandLineInterface

        CommandLineInterface.entrypoint()
    elif server == "uvicorn":
        import uvicorn

        uvicorn.main()
    else:
        sys.exit(f"unknown server {server!r}")


if __name__ == "__main__":
    main()
