"""Every write: validate, change the rows, bump the ceremony's version, audit, and publish after
commit, in one transaction (`versioning`). A refused call raises `ServiceError` (or
`ConflictError`) with a message meant for the editor, and writes nothing.

Callers write `from ceremony import services` and use the names below; the modules' other names
are the package's own.
"""

from ceremony.services.ceremonies import (
    REHEARSAL_SUFFIX,
    category_move,
    ceremony_pin,
    ceremony_rehearsal_reset,
    ceremony_set_status,
    rehearsal_slug,
)
from ceremony.services.forecasts import FitSummary, forecast_fit
from ceremony.services.freetext import REASON_LIMIT
from ceremony.services.identities import (
    Identities,
    credit_move,
    film_resolve,
    films_merge,
    people_merge,
    people_reconcile,
    person_resolve,
)
from ceremony.services.imports import ImportSummary, ceremony_import
from ceremony.services.precursors import (
    performer_choices,
    performer_settle,
    precursors_update,
)
from ceremony.services.results import (
    NOTE_LIMIT,
    result_correct,
    result_note,
    result_record,
    result_withdraw,
)
from ceremony.services.sources import (
    awards_specs,
    body_prepare,
    disagreement_settle,
    near_misses_record,
    sources_check,
)
from ceremony.services.versioning import ConflictError, ServiceError, ceremony_touch

__all__ = [
    "NOTE_LIMIT",
    "REASON_LIMIT",
    "REHEARSAL_SUFFIX",
    "ConflictError",
    "FitSummary",
    "Identities",
    "ImportSummary",
    "ServiceError",
    "awards_specs",
    "body_prepare",
    "category_move",
    "ceremony_import",
    "ceremony_pin",
    "ceremony_rehearsal_reset",
    "ceremony_set_status",
    "ceremony_touch",
    "credit_move",
    "disagreement_settle",
    "film_resolve",
    "films_merge",
    "forecast_fit",
    "near_misses_record",
    "people_merge",
    "people_reconcile",
    "performer_choices",
    "performer_settle",
    "person_resolve",
    "precursors_update",
    "rehearsal_slug",
    "result_correct",
    "result_note",
    "result_record",
    "result_withdraw",
    "sources_check",
]
