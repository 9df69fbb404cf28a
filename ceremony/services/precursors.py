"""Precursor links between a season's Academy Awards categories and every precursor body's (the
Golden Globes, BAFTA, the Actor Awards, Critics' Choice, the Spirit Awards), made after an import
whichever ceremony came first; the performers of film-only precursor rows joined through the
Oscar nominations; an editor's settlement of a row that cannot tell. The rules themselves are in
`ceremony.precursors` (precursors.json).
"""

from collections import defaultdict

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q

from ceremony.models import AuditEntry, Category, Ceremony, Nomination, Person, PrecursorLink
from ceremony.precursors import (
    PRECURSOR_BODY,
    SUCCESSOR_BODY,
    body_names_in,
    body_precedes_oscars,
    fold_category_name,
    precursor_rules,
    season_bodies,
    season_partners,
)
from ceremony.services.versioning import (
    ServiceError,
    Who,
    ceremony_lock,
    successors_touch,
    version_bump,
)


def _other_bodies() -> set[str]:
    """The precursor bodies other than the Golden Globes (their seasons go by film year)."""
    return {
        b["name"]
        for b in season_bodies().values()
        if b["role"] == "precursor" and b["name"] != PRECURSOR_BODY
    }


def _precedes(precursor: Ceremony, oscars: Ceremony) -> bool:
    """Came before that Oscar night: by both dates where both are exact, else by the body's
    rule (precursors.json) for the year it was held."""
    if precursor.date_exact and oscars.date_exact:
        return precursor.date < oscars.date
    return body_precedes_oscars(precursor.body.name, precursor.date.year)


def _season_film_year(ceremony: Ceremony) -> str:
    return ceremony.film_year or str(ceremony.date.year - 1)


def _oscars_of_season(ceremony: Ceremony) -> list[Ceremony]:
    film_year = _season_film_year(ceremony)
    candidates = Ceremony.objects.filter(body__name=SUCCESSOR_BODY).filter(
        Q(film_year=film_year) | Q(film_year="", date__year=int(film_year) + 1)
    )
    return [o for o in candidates.select_related("body") if _precedes(ceremony, o)]


def _other_precursors_of(oscars: Ceremony) -> list[Ceremony]:
    film_year = oscars.film_year or str(oscars.date.year - 1)
    candidates = Ceremony.objects.filter(body__name__in=_other_bodies(), film_year=film_year)
    return [p for p in candidates.select_related("body") if _precedes(p, oscars)]


def _names(rule: dict, precursor: Ceremony) -> frozenset:
    if precursor.body.name == PRECURSOR_BODY:
        return frozenset(rule["globes"])
    return body_names_in(rule, precursor.body.name, precursor.date.year)


def precursors_link(*, ceremony: Ceremony) -> dict[Ceremony, int]:
    """Link `ceremony`'s categories to their precursors (or successors) of the same season, and
    join the performers of the film-only precursor rows.

    Idempotent, and never removes a link an editor added by hand. Returns the links created
    (or rows joined) per Oscar-side ceremony (whose snapshot they change).
    """
    rules = precursor_rules()
    body = ceremony.body.name
    if body == SUCCESSOR_BODY:
        pairs = [(ceremony, g) for g in season_partners(ceremony, PRECURSOR_BODY)]
        pairs += [(ceremony, p) for p in _other_precursors_of(ceremony)]
    elif body == PRECURSOR_BODY:
        pairs = [(o, ceremony) for o in season_partners(ceremony, SUCCESSOR_BODY)]
    elif body in _other_bodies():
        pairs = [(o, ceremony) for o in _oscars_of_season(ceremony)]
    else:
        return {}
    created: dict[Ceremony, int] = {}
    for oscars, precursor_ceremony in pairs:
        precursor_categories = list(precursor_ceremony.categories.all())
        wanted: dict[tuple[int, int], str] = {}
        for category in oscars.categories.all():
            names = {
                fold_category_name(category.name),
                fold_category_name(category.canonical_name),
            }
            for rule in rules:
                if not names & rule["oscar"]:
                    continue
                precursor_names = _names(rule, precursor_ceremony)
                for precursor in precursor_categories:
                    if fold_category_name(precursor.name) in precursor_names:
                        wanted.setdefault((category.pk, precursor.pk), rule["match"])
        have = set(
            PrecursorLink.objects.filter(
                category__ceremony=oscars, precursor__ceremony=precursor_ceremony
            ).values_list("category_id", "precursor_id")
        )
        new = [
            PrecursorLink(category_id=c, precursor_id=p, match=match)
            for (c, p), match in wanted.items()
            if (c, p) not in have
        ]
        PrecursorLink.objects.bulk_create(new, ignore_conflicts=True)
        made = len(new)
        if precursor_ceremony.film_only:
            made += performers_join(precursor=precursor_ceremony)
        if made:
            created[oscars] = created.get(oscars, 0) + made
    return created


def performers_join(*, precursor: Ceremony) -> int:
    """Give each film-only row of a precursor ceremony whose links match people the person of
    the one Oscar nomination of the same film in the categories it precedes; where the film has
    several there, mark it "cannot tell" (`performer_unknown`) and never guess. Rows that have
    people (joined before, or settled by an editor) are left alone. Returns the rows changed.
    A few queries, however many rows."""
    successors: dict[int, set[int]] = defaultdict(set)
    for precursor_id, category_id in PrecursorLink.objects.filter(
        precursor__ceremony=precursor, match=PrecursorLink.Match.PEOPLE
    ).values_list("precursor_id", "category_id"):
        successors[precursor_id].add(category_id)
    if not successors:
        return 0
    FilmLink, PersonLink = Nomination.films.through, Nomination.people.through
    rows, row_category = {}, {}
    for pk, category_id, unknown in Nomination.objects.filter(
        category_id__in=successors, people__isnull=True
    ).values_list("pk", "category_id", "performer_unknown"):
        rows[pk], row_category[pk] = unknown, category_id
    row_films: dict[int, set[int]] = defaultdict(set)
    for nomination_id, film_id in FilmLink.objects.filter(nomination_id__in=rows).values_list(
        "nomination_id", "film_id"
    ):
        row_films[nomination_id].add(film_id)
    films = {f for fs in row_films.values() for f in fs}
    oscar_categories = {c for cs in successors.values() for c in cs}
    oscar_rows: dict[tuple[int, int], set[int]] = defaultdict(set)
    for nomination_id, category_id, film_id in FilmLink.objects.filter(
        nomination__category_id__in=oscar_categories, film_id__in=films
    ).values_list("nomination_id", "nomination__category_id", "film_id"):
        oscar_rows[(category_id, film_id)].add(nomination_id)
    candidates = {n for ns in oscar_rows.values() for n in ns}
    people_of: dict[int, list[int]] = defaultdict(list)
    nominee_of: dict[int, str] = {}
    for nomination_id, person_id, nominee in PersonLink.objects.filter(
        nomination_id__in=candidates
    ).values_list("nomination_id", "person_id", "nomination__nominee"):
        people_of[nomination_id].append(person_id)
        nominee_of[nomination_id] = nominee
    links, joined, unknown = [], [], []
    for row_id in sorted(rows):
        found = {
            n
            for category_id in successors[row_category[row_id]]
            for film in row_films[row_id]
            for n in oscar_rows.get((category_id, film), ())
            if people_of[n]
        }
        if len(found) == 1:
            (oscar,) = found
            links += [PersonLink(nomination_id=row_id, person_id=p) for p in people_of[oscar]]
            joined.append(Nomination(pk=row_id, nominee=nominee_of[oscar][:1000]))
        elif len(found) > 1 and not rows[row_id]:
            unknown.append(row_id)
    PersonLink.objects.bulk_create(links, ignore_conflicts=True)
    Nomination.objects.bulk_update(joined, ["nominee"], batch_size=500)
    Nomination.objects.filter(pk__in=[n.pk for n in joined]).update(performer_unknown=False)
    Nomination.objects.filter(pk__in=unknown).update(performer_unknown=True)
    return len(joined) + len(unknown)


@transaction.atomic
def precursors_update(
    *,
    ceremony: Ceremony,
    results_changed: bool,
    editor: AbstractBaseUser | None,
    actor: str,
    source: str,
) -> int:
    """After an import: link the season's precursors, and give every other ceremony whose
    precursor flags changed (new links, or this ceremony's results) a new version. Returns the
    number of links made."""
    who = Who(editor, actor)
    links = precursors_link(ceremony=ceremony)
    for partner in links:
        if partner.pk != ceremony.pk:
            version_bump(
                ceremony_lock(partner.pk),
                AuditEntry.Action.IMPORT,
                who,
                after={"precursor_links_from": source, "links": links[partner]},
            )
    if results_changed:
        successors_touch(ceremony, who, cause=f"import {source}")
    return sum(links.values())


def performer_choices(nomination: Nomination) -> list[Nomination]:
    """The Oscar nominations a "cannot tell" row may be: those of its film in the categories
    its category precedes."""
    return list(
        Nomination.objects.filter(
            category__in=Category.objects.filter(
                precursor_links__precursor_id=nomination.category_id
            ),
            films__in=nomination.films.all(),
        )
        .distinct()
        .select_related("category__ceremony")
        .prefetch_related("people")
        .order_by("category__ceremony__date", "category__order", "order", "pk")
    )


@transaction.atomic
def performer_settle(
    *,
    nomination_id: int,
    oscar_nomination_id: int,
    editor: AbstractBaseUser | None,
    reason: str,
    actor: str = "",
) -> Nomination:
    """An editor says whom a "cannot tell" row was: the people of one of the Oscar nominations
    of its film in the categories it precedes. Audited on the precursor's ceremony; every Oscar
    ceremony whose verdicts rest on it moves on to a new version."""
    reason = reason.strip()
    if not reason:
        raise ServiceError("Say how you know who it was (the source), so the audit shows it.")
    try:
        nomination = Nomination.objects.select_related("category__ceremony").get(pk=nomination_id)
    except Nomination.DoesNotExist:
        raise ServiceError(f"There is no nomination with id {nomination_id}.") from None
    choices = {n.pk: n for n in performer_choices(nomination)}
    oscar = choices.get(oscar_nomination_id)
    if oscar is None:
        raise ServiceError(
            "That is not an Oscar nomination of this film in a category this one precedes."
        )
    ceremony = ceremony_lock(nomination.category.ceremony_id)
    before = {
        "nominee": nomination.nominee,
        "people": list(nomination.people.values_list("name", flat=True)),
        "performer_unknown": nomination.performer_unknown,
    }
    people: list[Person] = list(oscar.people.all())
    nomination.people.set(people)
    nomination.nominee = oscar.nominee[:1000]
    nomination.performer_unknown = False
    nomination.save(update_fields=["nominee", "performer_unknown"])
    who = Who(editor, actor)
    version_bump(
        ceremony,
        AuditEntry.Action.SETTLE,
        who,
        category=nomination.category,
        before=before,
        after={"nominee": nomination.nominee, "people": [p.name for p in people]},
        reason=reason,
    )
    successors_touch(ceremony, who, cause=f"performer settled: {nomination.nominee}")
    return nomination
