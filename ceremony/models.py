"""Ceremonies, their categories and nominations, and the people and films they share.

Models hold data and small properties only. Every write that matters on the night goes through
`ceremony.services`; reads for pages and sockets go through `ceremony.scoreboard`.
"""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a time zone name such as America/Los_Angeles.")


class AwardBody(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    time_zone = models.CharField(
        max_length=64, default="America/Los_Angeles", validators=[validate_time_zone]
    )
    short = models.CharField(
        max_length=40,
        blank=True,
        help_text="The name in a sentence, as in 'the BAFTA winner' (precursors.json); blank: "
        "the name without 'Awards'.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def short_name(self):
        """'Golden Globe' for 'Golden Globe Awards', as in 'Golden Globe winner'."""
        return self.short or self.name.removesuffix(" Awards")


class CeremonyQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status=Ceremony.Status.LIVE)

    def final(self):
        return self.filter(status=Ceremony.Status.FINAL)

    def held(self):
        """Ceremonies that have started: the archive's index and search list these. A draft's
        own page is public all the same (nominees and ballots before the show). Rehearsal
        copies are never part of the archive."""
        return self.exclude(status=Ceremony.Status.DRAFT).exclude(rehearsal=True)

    def real(self):
        """Not rehearsal copies."""
        return self.exclude(rehearsal=True)

    def latest_first(self):
        return self.order_by("-date", "-edition")

    def featured(self) -> tuple["Ceremony | None", str]:
        """The ceremony the home page features, and why: the one an editor pinned; else the
        live one; else the next one not started; else the latest with results. Never a
        rehearsal copy."""
        from django.utils import timezone

        ceremonies = self.real().select_related("body")
        pinned = ceremonies.filter(pinned=True).first()
        if pinned:
            return pinned, "pinned by an editor"
        live = ceremonies.live().latest_first().first()
        if live:
            return live, "live now"
        upcoming = (
            ceremonies.filter(status=Ceremony.Status.DRAFT, date__gte=timezone.localdate())
            .order_by("date", "edition")
            .first()
        )
        if upcoming:
            return upcoming, "the next ceremony"
        with_results = (
            ceremonies.filter(categories__nominations__won=True).distinct().latest_first().first()
        )
        if with_results:
            return with_results, "the latest results"
        latest = ceremonies.latest_first().first()
        return latest, "the latest ceremony" if latest else ""


class Ceremony(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        LIVE = "live", "Live"
        FINAL = "final", "Final"

    body = models.ForeignKey(AwardBody, models.PROTECT, related_name="ceremonies")
    edition = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    date = models.DateField()
    date_exact = models.BooleanField(
        default=True,
        help_text="Unticked: the source gives the year only (the day stored is a placeholder "
        "for ordering), and pages show the year, never a day.",
    )
    film_year = models.CharField(
        max_length=20,
        blank=True,
        help_text="The films' year, as the body states it: 2024, 1927/28.",
    )
    venue = models.CharField(max_length=300, blank=True)
    film_only = models.BooleanField(
        default=False,
        help_text="Known by film only (the IMDb awards files): its nominations name films, and "
        "a person only where the Oscar nominations of the same film and category tell who.",
    )
    starts_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the show begins, entered in the server's time zone (TIME_ZONE, UTC "
        "unless set). Before the show the ceremony page gives it in each reader's own time "
        "zone, with a countdown.",
    )
    time_zone = models.CharField(
        max_length=64, default="America/Los_Angeles", validators=[validate_time_zone]
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Increases by one on every write; readers use it to notice a missed update.
    version = models.PositiveIntegerField(default=0)
    rehearsal = models.BooleanField(
        default=False,
        editable=False,
        help_text="A copy to rehearse the night on (replay_ceremony), never the real results.",
    )
    pinned = models.BooleanField(
        default=False,
        editable=False,
        help_text="Featured on the home page whatever its status (one at most).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CeremonyQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        permissions = [("use_live_desk", "Can record results on the live desk")]
        constraints = [
            models.UniqueConstraint(fields=["body", "edition"], name="ceremony_body_edition"),
            models.UniqueConstraint(
                fields=["pinned"], condition=models.Q(pinned=True), name="ceremony_one_pinned"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("ceremony:detail", args=[self.slug])

    @property
    def is_live(self):
        return self.status == self.Status.LIVE

    @property
    def held_year(self) -> int:
        return self.date.year

    @property
    def is_final(self):
        return self.status == self.Status.FINAL


class CategoryQuerySet(models.QuerySet):
    def competitive(self):
        return self.filter(competitive=True)

    def in_order(self):
        return self.order_by("order", "pk")

    def announced(self):
        return self.filter(nominations__won=True).distinct()


class Category(models.Model):
    ceremony = models.ForeignKey(Ceremony, models.CASCADE, related_name="categories")
    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=300)
    canonical_name = models.CharField(
        max_length=300, blank=True, help_text="The category's name across years (oscars.csv)."
    )
    order = models.PositiveIntegerField(default=0, help_text="Presentation order on the night.")
    competitive = models.BooleanField(
        default=True, help_text="Honorary and technical awards are shown apart, never tallied."
    )
    # The result: winners are the nominations with won=True; these say when and by whom.
    announced_at = models.DateTimeField(null=True, blank=True)
    corrected_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_tie = models.BooleanField(default=False)
    note = models.CharField(
        max_length=280,
        blank=True,
        help_text="The editor's note published with the result (plain text).",
    )
    # Increases on every write to this category: the editor's optimistic-concurrency token.
    revision = models.PositiveIntegerField(default=0)
    precursors = models.ManyToManyField(
        "self",
        through="PrecursorLink",
        symmetrical=False,
        related_name="successors",
        blank=True,
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["ceremony", "order", "pk"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["ceremony", "slug"], name="category_ceremony_slug"),
        ]

    def __str__(self):
        return f"{self.name} ({self.ceremony})"


class Film(models.Model):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=320, unique=True, allow_unicode=True)
    imdb_id = models.CharField(max_length=20, unique=True, null=True, blank=True)
    year = models.PositiveIntegerField(null=True, blank=True, help_text="Release (film) year.")
    key = models.CharField(max_length=300, db_index=True, editable=False)

    class Meta:
        ordering = ["title", "year"]

    def __str__(self):
        return f"{self.title} ({self.year})" if self.year else self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("ceremony:film", args=[self.slug])


class Person(models.Model):
    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=320, unique=True, allow_unicode=True)
    imdb_id = models.CharField(max_length=20, unique=True, null=True, blank=True)
    key = models.CharField(max_length=300, db_index=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("ceremony:person", args=[self.slug])


class Alias(models.Model):
    """Another spelling of a film's or a person's name (`name_field`), with its matching key."""

    name_field: str
    key = models.CharField(max_length=300, db_index=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self):
        return getattr(self, self.name_field)


def _alias_meta(owner: str, name_field: str) -> type:
    """The Meta of an alias model: ordered by its name, one alias per owner and key, named
    "<owner> aliases" in the admin."""

    class Meta:
        ordering = [name_field]
        verbose_name_plural = f"{owner} aliases"
        constraints = [models.UniqueConstraint(fields=[owner, "key"], name=f"{owner}_alias_key")]

    return Meta


class FilmAlias(Alias):
    """Another title a film was listed under ("Sunset Blvd.", "5 Fingers"): searchable, shown
    as "also listed as", and matched by the importers."""

    film = models.ForeignKey(Film, models.CASCADE, related_name="aliases")
    title = models.CharField(max_length=300)
    name_field = "title"
    Meta = _alias_meta("film", "title")


class PersonAlias(Alias):
    """Another spelling a person was credited under ("Frances Walsh", "F. A. Young"): searchable,
    shown as "also credited as", and matched by the importers."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    name_field = "name"
    Meta = _alias_meta("person", "name")


class NominationQuerySet(models.QuerySet):
    def won(self):
        return self.filter(won=True)

    def competitive(self):
        return self.filter(category__competitive=True)


class Nomination(models.Model):
    category = models.ForeignKey(Category, models.CASCADE, related_name="nominations")
    films = models.ManyToManyField(Film, related_name="nominations", blank=True)
    people = models.ManyToManyField(Person, related_name="nominations", blank=True)
    nominee = models.CharField(
        max_length=1000, blank=True, help_text="As credited: 'A, B and C', or the song title."
    )
    detail = models.CharField(max_length=1000, blank=True, help_text="Song title, role, citation.")
    film_title = models.CharField(
        max_length=600, blank=True, help_text="The film(s) as credited, for display."
    )
    order = models.PositiveIntegerField(default=0)
    won = models.BooleanField(default=False)
    note = models.TextField(
        blank=True,
        help_text="The source's note where it explains the row: a refusal, a placement, a tie.",
    )
    performer_unknown = models.BooleanField(
        default=False,
        help_text="Cannot tell: a film-only nomination whose film has several Oscar nominees in "
        "the category it precedes; an editor settles who it was.",
    )

    objects = NominationQuerySet.as_manager()

    class Meta:
        ordering = ["category", "order", "pk"]

    def __str__(self):
        if self.nominee and self.film_title:
            return f"{self.nominee} ({self.film_title})"
        return self.nominee or self.film_title or f"Nomination {self.pk}"


class PrecursorLink(models.Model):
    """A category whose winner comes before another's (a Golden Globe before an Oscar), and what
    makes the two winners the same (`match`); ceremony/precursors.py reads them."""

    class Match(models.TextChoices):
        FILM = "film", "Same film"
        PEOPLE = "people", "Same film and a shared person"
        SONG = "song", "Same film and song"

    category = models.ForeignKey(Category, models.CASCADE, related_name="precursor_links")
    precursor = models.ForeignKey(Category, models.CASCADE, related_name="successor_links")
    match = models.CharField(max_length=10, choices=Match.choices, default=Match.FILM)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["category", "precursor"], name="precursor_link_pair"),
        ]

    def __str__(self):
        return f"{self.precursor} → {self.category}"


class AuditEntry(models.Model):
    """One write, as it happened. Append-only: never changed or deleted once written."""

    class Action(models.TextChoices):
        RECORD = "record", "Recorded"
        TIE = "tie", "Recorded a tie"
        CORRECT = "correct", "Corrected"
        WITHDRAW = "withdraw", "Withdrew"
        REORDER = "reorder", "Reordered"
        STATUS = "status", "Changed status"
        IMPORT = "import", "Imported"
        EDIT = "edit", "Edited in the admin"
        PRECURSOR = "precursor", "Precursor results changed"
        IDENTITY = "identity", "Merged or split an identity"
        NOTE = "note", "Changed the note"
        REHEARSAL = "rehearsal", "Reset the rehearsal"
        PIN = "pin", "Pinned to the home page"
        UNPIN = "unpin", "Unpinned from the home page"
        SETTLE = "settle", "Settled a disagreement or a performer"

    # PROTECT: deleting a ceremony must not take its audit history with it.
    ceremony = models.ForeignKey(Ceremony, models.PROTECT, related_name="audit_entries")
    category = models.ForeignKey(
        Category, models.SET_NULL, null=True, blank=True, related_name="audit_entries"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    editor_name = models.CharField(
        max_length=150, help_text="Kept as written, even if the account is later removed."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(help_text="The ceremony's version after this write.")
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"v{self.version} {self.get_action_display()} by {self.editor_name}"


class DisagreementQuerySet(models.QuerySet):
    def open(self):
        return self.filter(settled_at__isnull=True)

    def settled(self):
        return self.filter(settled_at__isnull=False)


class Disagreement(models.Model):
    """Where two sources of one fact differ (a winner, a nominee, a category), or a near miss an
    identity join left for a person: found by an import, settled by an editor (audited)."""

    class Kind(models.TextChoices):
        WINNER = "winner", "Winner"
        NOMINEE = "nominee", "Nominee"
        CATEGORY = "category", "Category"
        NEAR_MISS = "near_miss", "Near miss"

    class Verdict(models.TextChoices):
        ARCHIVE = "archive", "The archive's source is right"
        OTHER = "other", "The other source is right"
        NEITHER = "neither", "Both are wrong or both stand"

    ceremony = models.ForeignKey(
        Ceremony, models.CASCADE, null=True, blank=True, related_name="disagreements"
    )
    category = models.ForeignKey(
        Category, models.SET_NULL, null=True, blank=True, related_name="disagreements"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # What the disagreement is about, stable across imports: a second import finds it again.
    key = models.CharField(max_length=300)
    archive_source = models.CharField(max_length=200)
    archive_says = models.TextField(blank=True)
    other_source = models.CharField(max_length=200)
    other_says = models.TextField(blank=True)
    found_at = models.DateTimeField(auto_now_add=True)
    verdict = models.CharField(max_length=10, choices=Verdict.choices, blank=True)
    reason = models.TextField(blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    settled_by = models.CharField(max_length=150, blank=True)

    objects = DisagreementQuerySet.as_manager()

    class Meta:
        ordering = ["settled_at", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="disagreement_kind_key"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.key}"

    @property
    def is_settled(self):
        return self.settled_at is not None
