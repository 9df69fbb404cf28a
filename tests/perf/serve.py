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

    from ceremony.realtime import snapshots

    build = snapshots.make_snapshot
    log = logging.getLogger("perf.builds")

    def logged(ceremony):
        snap = build(ceremony)
        log.warning("snapshot build ceremony=%s version=%s", ceremony.pk, snap.version)
        return snap

    snapshots.make_snapshot = logged


def push_without_yielding() -> None:
    """A comparison, not the app: the fan-out's push loop never gives the event loop a turn
    (as before `fanout.YIELD_EVERY`), so the benchmark can measure what the turns change."""
    import django

    django.setup()
    from ceremony.realtime import fanout

    fanout.YIELD_EVERY = 10**9


def main() -> None:
    args = sys.argv[1:]
    while args and args[0].startswith("--"):
        option, *args = args
        {
            "--gc-log": log_collections,
            "--log-builds": log_builds,
            "--push-without-yielding": push_without_yielding,
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
