"""Free text an editor types (notes, reasons, names): cleaned by the importers' own rule
(`cells.clean`: bidi controls removed, whitespace collapsed, control characters refused) and kept
within its limit, so no path stores or publishes what an import would not."""

from ceremony.importers.cells import clean
from ceremony.services.versioning import ServiceError

# A correction's, withdrawal's or reopening's reason: one or two sentences for the audit log.
REASON_LIMIT = 500


def free_text(value: str, *, what: str, limit: int) -> str:
    """`value` cleaned; ServiceError naming `what` ("The reason") if it has a control character
    or is longer than `limit` once cleaned."""
    try:
        text = clean(value or "")
    except ValueError as problem:
        raise ServiceError(f"{what} {problem}; nothing was saved.") from None
    if len(text) > limit:
        raise ServiceError(
            f"{what} is {len(text)} characters long; keep it to {limit}. Nothing was saved."
        )
    return text
