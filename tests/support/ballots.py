"""The single-browser ballot's share format (static/ceremony/ballot.js), as tests write it."""


def base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def shared(ids) -> str:
    """Nomination ids as a share link's fragment writes them: base 36, dot-separated."""
    return ".".join(base36(i) for i in ids)
