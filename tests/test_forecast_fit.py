"""forecast_fit after an import, held out: the archive up to the 96th Oscars, then the 97th's
nominees imported as a user would (import_ceremony, the demo's JSON): the 97th is forecast from
the seasons before it, and its favourites and probabilities are in the API; and the follower that
fits again after each write the forecast reads."""

import io
import json
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse

from ceremony.forecast import features
from ceremony.forecast.models import Odds
from ceremony.models import Ceremony
from tests.support.archive import GLOBES_CSV, OSCARS_CSV, imported, require, run
from tests.support.builders import record
from tests.support.environment import DEMO, SHARED_DATA
from tests.support.seasons import live_globes_director

HELD_OUT = 97


@pytest.fixture(scope="class")
def before_the_97th(django_db_setup, django_db_blocker, tmp_path_factory):
    """oscars.csv without the 97th and 98th ceremonies (a filtered copy in a temporary folder),
    and the Globes."""
    require(OSCARS_CSV)
    require(GLOBES_CSV)
    earlier = tmp_path_factory.mktemp("held-out") / "oscars-before-97.csv"
    lines = OSCARS_CSV.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].split("\t")
    assert header[0] == "Ceremony"
    earlier.write_text(
        "".join([lines[0], *(line for line in lines[1:] if int(line.split("\t")[0]) < HELD_OUT)]),
        encoding="utf-8",
    )
    globes_json = sorted(SHARED_DATA.glob("golden-globes-*.json"))
    with (
        imported(
            django_db_blocker,
            ("import_globes", GLOBES_CSV, *globes_json),
            ("import_oscars", earlier),
        ) as outputs,
        django_db_blocker.unblock(),
    ):
        before = dict(Odds.objects.values_list("nomination_id", "probability"))
        outputs.append(run("import_ceremony", DEMO / "oscars-97-nominees.json"))
        yield outputs, before


# All its tests among the database ones: pytest-django runs those first, and a class split
# between the two groups would import its archive twice.
@pytest.mark.django_db
class TestAHeldOutSeason:
    def test_the_import_forecasts_it_from_the_seasons_before_it(self, before_the_97th, db):
        outputs, _ = before_the_97th
        assert "Forecast: " in outputs[-1]
        ceremony = Ceremony.objects.get(body__name="Academy Awards", edition=HELD_OUT)
        seasons = set(Odds.objects.of_ceremony(ceremony.pk).values_list("seasons", flat=True))
        # Every earlier ceremony with a category to learn from (two nominees or more, a result).
        held = {
            g.ceremony_id
            for g in features.read_groups()
            if g.date < ceremony.date and g.announced and g.trains
        }
        assert seasons == {len(held)}
        assert len(held) > 90

    def test_the_earlier_seasons_odds_did_not_move(self, before_the_97th, db):
        _, before = before_the_97th
        after = dict(Odds.objects.filter(pk__in=before).values_list("nomination_id", "probability"))
        assert after == before

    def test_its_favourites_and_probabilities_are_in_the_api(self, before_the_97th, client):
        ceremony = Ceremony.objects.get(body__name="Academy Awards", edition=HELD_OUT)
        data = client.get(reverse("ceremony:api-detail", args=[ceremony.slug])).json()
        assert len(data["categories"]) == 23
        for category in data["categories"]:
            ids = [n["id"] for n in category["nominations"]]
            assert [i for i, _ in category["forecast"]] == ids
            assert sum(round(100 * p) for _, p in category["forecast"]) == 100
            size = len(json.dumps(category["forecast"], separators=(",", ":")))
            assert size <= 12 + 14 * len(ids)
        actress = next(c for c in data["categories"] if c["name"] == "Best Supporting Actress")
        favourite = max(actress["forecast"], key=lambda pair: pair[1])[0]
        name = next(n["nominee"] for n in actress["nominations"] if n["id"] == favourite)
        # Zoe Saldaña had won the Globe (golden-globes-82.json): the favourite before the night.
        assert name == "Zoe Saldaña"


class Stop(BaseException):
    """Ends the follower's loop (it carries on after any Exception)."""


def test_following_fits_again_after_a_precursors_result_and_only_then(db, monkeypatch):
    from ceremony.management.commands import forecast_fit as command

    globes = live_globes_director()
    looks = []

    def sleep(seconds):
        looks.append(seconds)
        if len(looks) == 1:
            record(globes, "Best Director", "Brady Corbet")
        elif len(looks) == 3:
            raise Stop

    monkeypatch.setattr(command, "time", SimpleNamespace(sleep=sleep))
    out = io.StringIO()
    with pytest.raises(Stop):
        call_command("forecast_fit", "--follow", "--interval", "7", stdout=out)

    # At the start, after the Globe's result, and not again while nothing changed.
    assert out.getvalue().count("Forecast: ") == 2
    assert looks == [7.0, 7.0, 7.0]
