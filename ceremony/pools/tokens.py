"""Codes and secrets: join codes from an alphabet without look-alikes, and the random secrets that
grant rights (a host's manage link, a player's ballot), stored only as hashes and compared in
constant time. Pure: no database."""

import hashlib
import hmac
import secrets

# No 0/O, 1/I/L, nor U/V: a code read out across a room is typed right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
# 29 ** 10 is about 4.2e14 codes: with 100,000 pools, a guess hits one about once in 4 billion
# tries, and lookups are limited per address (docs/pools.md).
CODE_LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(text: str) -> str:
    """A code as typed ("ab2c-d3ef gh"): upper case, without spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch not in " -")


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def digest(secret: str) -> str:
    """What is stored of a secret: its SHA-256 (secrets are 192 random bits: no salt or
    stretching needed, as for an API token)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def matches(secret: str, stored: str) -> bool:
    return hmac.compare_digest(digest(secret), stored)
