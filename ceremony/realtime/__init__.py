"""The live push: snapshots, their publication, the per-process fan-out to reader sockets, the
page cache in front of Django, and the websocket consumer.

How they fit together and why: docs/protocol.md; what they cost, measured: docs/performance.md.
"""
