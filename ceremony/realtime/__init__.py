"""The live push: snapshots, their publication, the per-process fan-out to reader sockets, the
page cache in front of Django, and the websocket consumer."""
