"""Pools: friends play along with a ceremony in a room of their own, joined by a short code, with
a display name and nothing to sign up for; ballots on the server, locked when the show starts,
standings scored live from the ceremony's own snapshot (docs/pools.md).

It reads the ceremony's models and snapshot and never writes the ceremony's tables; the ceremony
never imports it (the import-linter contracts in pyproject.toml)."""
