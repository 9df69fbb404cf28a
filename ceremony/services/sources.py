"""The IMDb awards files in the archive, and two sources as a check on each other.

A precursor body's file (BAFTA, the Actor Awards, Critics' Choice, the Spirit Awards) becomes
ceremonies known by film only, through the one import writer. A second source of a body the
archive has from another file (golden-globes.yml beside golden_globe_awards.csv and the JSON
files, oscars.yml beside oscars.csv) is compared with the archive, never written into it: each
difference (a winner, a nominee, a category) is kept as a `Disagreement` for an editor to
settle, as are the near misses the identity joins leave. Settling is audited; nothing is
settled silently.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from ceremony.importers.awards_yaml import AwardsFile
from ceremony.importers.spec import CeremonySpec, FilmRef
from ceremony.models import (
    AuditEntry,
    AwardBody,
    Category,
    Ceremony,
    Disagreement,
    Film,
    Nomination,
)
from ceremony.services.identities import slug_base
from ceremony.services.versioning import ServiceError, Who, ceremony_lock, version_bump


def awards_specs(read: AwardsFile) -> list[CeremonySpec]:
    """A precursor body's ceremonies, each film titled as the archive knows it (by IMDb id),
    else by its id until an import names it."""
    specs = read.specs()
    ids = {n.films[0].imdb_id for spec in specs for c in spec.categories for n in c.nominations}
    titles = dict(Film.objects.filter(imdb_id__in=ids).values_list("imdb_id", "title"))
    for spec in specs:
        spec.film_only = True
        for category in spec.categories:
            for nomination in category.nominations:
                imdb_id = nomination.films[0].imdb_id
                nomination.films = [FilmRef(title=titles.get(imdb_id, imdb_id), imdb_id=imdb_id)]
    return specs


@transaction.atomic
def body_prepare(*, read: AwardsFile) -> AwardBody:
    """The file's body in the archive, with its short name and time zone (precursors.json)."""
    config = read.body
    body = AwardBody.objects.filter(name=config["name"]).first()
    if body is None:
        return AwardBody.objects.create(
            name=config["name"],
            slug=slug_base(config["name"]),
            short=config["short"],
            time_zone=config["time_zone"],
        )
    if not body.short and config["short"] != body.short_name:
        body.short = config["short"]
        body.save(update_fields=["short"])
    return body


@dataclass
class CheckSummary:
    source: str
    years: int = 0
    compared: int = 0
    not_in_archive: list[str] = field(default_factory=list)
    found: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    new: int = 0
    # Films the archive does not know by IMDb id: nothing to compare them with.
    unknown_films: int = 0

    def __str__(self):
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(self.found.items())) or "none"
        text = (
            f"{self.source}: {self.compared} of {self.years} ceremonies compared with the archive; "
            f"disagreements: {kinds} ({self.new} new, for an editor to settle); "
            f"{self.unknown_films} nominations name a film the archive does not know by id."
        )
        if self.not_in_archive:
            shown = ", ".join(self.not_in_archive[:8])
            more = (
                f" and {len(self.not_in_archive) - 8} more" if len(self.not_in_archive) > 8 else ""
            )
            text += f" Not in the archive (import it first, then this again): {shown}{more}."
        return text


def _label(film: Film | None, imdb_id: str) -> str:
    if film is None:
        return imdb_id
    year = f" ({film.year})" if film.year else ""
    return f"{film.title}{year} [{imdb_id}]"


@transaction.atomic
def sources_check(*, read: AwardsFile) -> CheckSummary:
    """Compare a second source with the archive's ceremonies of its body, year by year, and keep
    each difference (a second run finds the same ones and adds nothing)."""
    summary = CheckSummary(source=read.path.name)
    name = read.body["name"]
    archive_source = {"Golden Globe Awards": "golden_globe_awards.csv / JSON"}.get(
        name, "oscars.csv / JSON"
    )
    ceremonies = defaultdict(list)
    for ceremony in Ceremony.objects.real().filter(body__name=name):
        ceremonies[ceremony.date.year].append(ceremony)
    films = {f.imdb_id: f for f in Film.objects.exclude(imdb_id=None)}
    archive = _Archive(name)
    known = set(
        Disagreement.objects.filter(key__startswith=f"{read.path.name} ").values_list("kind", "key")
    )
    new: list[Disagreement] = []
    taken: set[int] = set()
    for year in read.checked_years:
        if not year.categories:
            continue
        summary.years += 1
        ids = {tt for c in year.categories for tt in c.nominees}
        # The early Oscars' years are muddled (two in 1930): the archive's ceremony of that
        # year or the next or last with most films in common.
        candidates = [
            c
            for held in (year.held_year, year.held_year - 1, year.held_year + 1)
            for c in ceremonies.get(held, [])
            if c.pk not in taken
        ]
        ceremony = _best_ceremony(candidates, ids, year.held_year, archive)
        if ceremony is None:
            summary.not_in_archive.append(year.key)
            continue
        taken.add(ceremony.pk)
        summary.compared += 1
        summary.unknown_films += sum(
            1 for c in year.categories for tt in c.nominees if tt not in films
        )
        for kind, key, category, archive_says, other_says in _differences(
            ceremony, year, films, archive
        ):
            summary.found[kind] += 1
            key = f"{read.path.name} {key}"[:300]
            if (kind, key) in known:
                continue
            known.add((kind, key))
            new.append(
                Disagreement(
                    kind=kind,
                    key=key,
                    ceremony=ceremony,
                    category=category,
                    archive_source=archive_source,
                    archive_says=archive_says,
                    other_source=f"{read.path.name} ({year.key})",
                    other_says=other_says,
                )
            )
    Disagreement.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    summary.new = len(new)
    return summary


class _Archive:
    """A body's competitive categories and what their nominations name by IMDb id, read in
    three queries for a whole check."""

    def __init__(self, body: str):
        self.categories: dict[int, list] = defaultdict(list)
        for category in Category.objects.filter(
            ceremony__body__name=body, competitive=True
        ).order_by("order", "pk"):
            self.categories[category.ceremony_id].append(category)
        nominations = list(
            Nomination.objects.filter(
                category__ceremony__body__name=body, category__competitive=True
            ).values_list("pk", "category_id", "won")
        )
        ids_of_nomination: dict[int, set[str]] = defaultdict(set)
        for nomination_id, imdb_id in Nomination.films.through.objects.filter(
            nomination__category__ceremony__body__name=body,
            nomination__category__competitive=True,
            film__imdb_id__isnull=False,
        ).values_list("nomination_id", "film__imdb_id"):
            ids_of_nomination[nomination_id].add(imdb_id)
        self.ids_of: dict[int, set[str]] = defaultdict(set)
        self.winners_of: dict[int, set[str]] = defaultdict(set)
        self.unidentified: set[int] = set()
        self.unidentified_winner: set[int] = set()
        for nomination_id, category_id, won in nominations:
            ids = ids_of_nomination.get(nomination_id, set())
            self.ids_of[category_id] |= ids
            if won:
                self.winners_of[category_id] |= ids
            if not ids:
                self.unidentified.add(category_id)
                if won:
                    self.unidentified_winner.add(category_id)

    def ceremony_ids(self, ceremony: Ceremony) -> set[str]:
        return {tt for c in self.categories.get(ceremony.pk, ()) for tt in self.ids_of[c.pk]}


def _best_ceremony(
    candidates: list[Ceremony], ids: set[str], held: int, archive: _Archive
) -> Ceremony | None:
    overlap = {c.pk: len(archive.ceremony_ids(c) & ids) for c in candidates}
    best = max(candidates, key=lambda c: (overlap[c.pk], c.date.year == held, -c.pk), default=None)
    if best is None or (not overlap[best.pk] and best.date.year != held):
        return None
    return best


WORD = re.compile(r"[a-z]+")
# Words that say nothing about which category it is.
FILLER = {"best", "in", "a", "an", "the", "of", "by", "for", "any", "motion", "picture", "role"}


def _words(name: str) -> set[str]:
    words = set(WORD.findall(name.casefold())) - FILLER
    # "Actor in a Leading Role" and "Male Actor": the words the categories share.
    return {{"actress": "female", "actor": "male"}.get(w, w) for w in words} | (
        {"actor"} if words & {"actor", "actress", "performance"} else set()
    )


def _pair_categories(categories, others, ids_of) -> dict:
    """Each category of the other source with the archive's it is, one to one: most films in
    common (as a share of both), then most words of their names in common; a pair needs a film
    in common or the same words."""
    scored = []
    for other in others:
        nominees, words = set(other.nominees), _words(other.name)
        for category in categories:
            here = ids_of[category.pk]
            films = len(here & nominees) / max(len(here | nominees), 1)
            theirs = _words(category.name)
            names = len(words & theirs) / max(len(words | theirs), 1)
            if films or names == 1:
                scored.append((films + names, other.name, category))
    pairs, used = {}, set()
    for _score, name, category in sorted(scored, key=lambda t: (-t[0], t[1], t[2].pk)):
        if name not in pairs and category.pk not in used:
            pairs[name] = category
            used.add(category.pk)
    return pairs


def _differences(ceremony: Ceremony, year, films: dict[str, Film], archive: _Archive):
    """(kind, key, archive category, what the archive says, what the other source says) per
    difference between one archive ceremony and one year of the other source."""
    categories = archive.categories.get(ceremony.pk, [])
    ids_of, winners_of = archive.ids_of, archive.winners_of
    pairs = _pair_categories(categories, year.categories, ids_of)
    matched: set[int] = set()
    for other in year.categories:
        nominees = set(other.nominees)
        best = pairs.get(other.name)
        if best is None:
            if any(tt in films for tt in nominees):
                names = ", ".join(_label(films.get(tt), tt) for tt in other.nominees)
                yield (
                    Disagreement.Kind.CATEGORY,
                    f"{year.key} {other.name}",
                    None,
                    "no such category",
                    f"{other.shown}: {names}",
                )
            continue
        matched.add(best.pk)
        here = ids_of[best.pk]
        # A film of the other source missing here is a disagreement only where every nominee
        # here is known by id (the Globes' CSV and JSON name films by title).
        complete = best.pk not in archive.unidentified
        for tt in sorted(nominees - here):
            if tt in films and complete:
                yield (
                    Disagreement.Kind.NOMINEE,
                    f"{year.key} {other.name} +{tt}",
                    best,
                    f"{best.name}: not a nominee",
                    f"{other.shown}: {_label(films[tt], tt)} nominated",
                )
        for tt in sorted(here - nominees):
            yield (
                Disagreement.Kind.NOMINEE,
                f"{year.key} {other.name} -{tt}",
                best,
                f"{best.name}: {_label(films.get(tt), tt)} nominated",
                f"{other.shown}: not a nominee",
            )
        archive_winners, other_winners = winners_of[best.pk], set(other.winners)
        comparable = best.pk not in archive.unidentified_winner and (
            archive_winners or other_winners
        )
        if comparable and archive_winners != other_winners:
            yield (
                Disagreement.Kind.WINNER,
                f"{year.key} {other.name} winner",
                best,
                f"{best.name}: won by "
                + (", ".join(_label(films.get(t), t) for t in sorted(archive_winners)) or "no one"),
                f"{other.shown}: won by "
                + (", ".join(_label(films.get(t), t) for t in sorted(other_winners)) or "no one"),
            )
    for category in categories:
        if category.pk not in matched and ids_of[category.pk]:
            names = ", ".join(_label(films.get(t), t) for t in sorted(ids_of[category.pk]))
            yield (
                Disagreement.Kind.CATEGORY,
                f"{year.key} archive {category.slug}",
                category,
                f"{category.name}: {names}",
                "no category with these nominees",
            )


@transaction.atomic
def near_misses_record(*, misses: list[tuple[Ceremony, str]], source: str) -> int:
    """Keep the near misses an import's identity joins left for a person to decide; returns
    how many are new."""
    new = 0
    for ceremony, miss in misses:
        _, created = Disagreement.objects.get_or_create(
            kind=Disagreement.Kind.NEAR_MISS,
            key=miss[:300],
            defaults={
                "ceremony": ceremony,
                "archive_source": "the archive",
                "archive_says": miss,
                "other_source": source[:200],
                "other_says": "",
            },
        )
        new += created
    return new


@transaction.atomic
def disagreement_settle(
    *,
    disagreement_id: int,
    verdict: str,
    reason: str,
    editor: AbstractBaseUser | None,
    actor: str = "",
) -> Disagreement:
    """An editor's decision on a disagreement, with the reason, audited on its ceremony. The
    archive is corrected, where the other source is right, through the admin as any edit is."""
    reason = reason.strip()
    if verdict not in Disagreement.Verdict.values:
        raise ServiceError(f"{verdict!r} is not a decision: archive, other or neither.")
    if not reason:
        raise ServiceError("Say why (the source you checked), so the audit shows it.")
    try:
        disagreement = Disagreement.objects.select_for_update().get(pk=disagreement_id)
    except Disagreement.DoesNotExist:
        raise ServiceError(f"There is no disagreement with id {disagreement_id}.") from None
    if disagreement.is_settled:
        raise ServiceError(
            f"Already settled by {disagreement.settled_by} ({disagreement.get_verdict_display()})."
        )
    if disagreement.ceremony_id is None:
        raise ServiceError("This disagreement names no ceremony to audit it on.")
    who = Who(editor, actor)
    disagreement.verdict = verdict
    disagreement.reason = reason
    disagreement.settled_at = timezone.now()
    disagreement.settled_by = who.name
    disagreement.save(update_fields=["verdict", "reason", "settled_at", "settled_by"])
    version_bump(
        ceremony_lock(disagreement.ceremony_id),
        AuditEntry.Action.SETTLE,
        who,
        category=disagreement.category,
        before={
            "kind": disagreement.kind,
            disagreement.archive_source: disagreement.archive_says,
            disagreement.other_source: disagreement.other_says,
        },
        after={"verdict": verdict},
        reason=reason,
    )
    return disagreement
