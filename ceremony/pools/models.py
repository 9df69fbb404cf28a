"""A pool (a room for one ceremony, joined by its code) and its members (a display name, a ballot
and the hash of the secret that lets its browser change it). Nothing else about a person is kept."""

from django.db import models
from django.utils import timezone

from ceremony.models import Ceremony

NAME_MAX = 40
POOL_NAME_MAX = 80
QUESTION_MAX = 200
# Tiebreak answers are counts (awards, minutes): bounded so nothing absurd is stored or shown.
ANSWER_MAX = 100_000


def ballots_locked(ceremony: Ceremony, now=None) -> bool:
    """Ballots lock when the ceremony goes live (or is final), or at its start time if that
    comes first."""
    if ceremony.status != Ceremony.Status.DRAFT:
        return True
    return ceremony.starts_at is not None and (now or timezone.now()) >= ceremony.starts_at


class Pool(models.Model):
    class Scoring(models.TextChoices):
        POINTS = "points", "Points per category set by the host"
        ODDS = "odds", "By the forecast's odds: more for calling a long shot"

    ceremony = models.ForeignKey(Ceremony, models.CASCADE, related_name="pools")
    name = models.CharField(max_length=POOL_NAME_MAX)
    code = models.CharField(max_length=16, unique=True)
    manage_digest = models.CharField(max_length=64, help_text="SHA-256 of the manage secret.")
    scoring = models.CharField(max_length=10, choices=Scoring.choices, default=Scoring.POINTS)
    # {category slug: points}; a category not listed is worth one point.
    points = models.JSONField(default=dict, blank=True)
    tiebreak_question = models.CharField(max_length=QUESTION_MAX, blank=True)
    tiebreak_answer = models.IntegerField(null=True, blank=True)
    # One higher after every change of membership or rules: the picks JSON is cached per version.
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("pools:detail", args=[self.code])

    @property
    def is_locked(self) -> bool:
        return ballots_locked(self.ceremony)

    @property
    def rules(self) -> dict:
        """What the scoring function reads (ceremony/pools/scoring.py)."""
        return {"mode": self.scoring, "points": self.points, "answer": self.tiebreak_answer}


class MemberQuerySet(models.QuerySet):
    def in_order(self):
        return self.order_by("joined_at", "pk")


class Member(models.Model):
    pool = models.ForeignKey(Pool, models.CASCADE, related_name="members")
    name = models.CharField(max_length=NAME_MAX)
    # The name as compared for uniqueness in the pool ("Ann" and "ann " are one).
    name_key = models.CharField(max_length=NAME_MAX, editable=False)
    secret_digest = models.CharField(max_length=64, help_text="SHA-256 of the ballot secret.")
    # {category slug: nomination id}
    picks = models.JSONField(default=dict, blank=True)
    tiebreak = models.IntegerField(null=True, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField(null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pool", "name_key"], name="pools_member_name"),
        ]

    def __str__(self):
        return self.name

    @property
    def entry(self) -> dict:
        """What the scoring function reads of a member."""
        return {"id": self.pk, "name": self.name, "picks": self.picks, "tiebreak": self.tiebreak}
