"""The stored forecast: each Oscar nomination's probability of winning, as it stood before its
night (fitted on the seasons before its ceremony). Written only by `services.forecast_fit`."""

from django.db import models

from ceremony.models import Nomination


class OddsQuerySet(models.QuerySet):
    def of_ceremony(self, ceremony_id: int):
        return self.filter(nomination__category__ceremony_id=ceremony_id)


class Odds(models.Model):
    nomination = models.OneToOneField(
        Nomination, models.CASCADE, primary_key=True, related_name="odds"
    )
    probability = models.FloatField(help_text="Of winning its category; a category's sum to 1.")
    seasons = models.PositiveIntegerField(
        help_text="How many past Oscar ceremonies the model was fitted on."
    )

    objects = OddsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "odds"

    def __str__(self):
        return f"{self.nomination}: {self.probability:.0%}"

    @property
    def percent(self) -> int:
        return round(100 * self.probability)
