"""Two sources as a check on each other, on real rows: golden-globes.yml beside the Globes CSV,
oscars.yml beside oscars.csv; each disagreement kept once, settled by an editor with a reason
(audited), never silently; a precursor row that cannot tell its performer settled the same way."""

import pytest
from django.urls import reverse

from ceremony import services
from ceremony.models import AuditEntry, Ceremony, Disagreement, Nomination
from tests.support.archive import OSCARS_CSV, imported, require, run
from tests.support.awards import awards_years, globes_ceremonies
from tests.support.builders import editors_group

IRISHMAN = "tt1302006"


@pytest.fixture(scope="class")
def checked(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sources")
    oscars = [f"--ceremony={n}" for n in (37, 38, 92, 94)]
    with imported(
        django_db_blocker,
        ("import_oscars", require(OSCARS_CSV), *oscars),
        ("import_globes", globes_ceremonies(folder, 22)),
        (
            "import_awards",
            awards_years(folder, "actor-awards", "2020"),
            awards_years(folder, "golden-globes", "1965"),
            awards_years(folder, "oscars", "2022"),
        ),
    ) as outputs:
        yield folder, outputs


def _disagreement(body: str, edition: int, category: str, kind: str) -> Disagreement:
    return Disagreement.objects.get(
        ceremony__body__name=body, ceremony__edition=edition, category__name=category, kind=kind
    )


def _irishman_row() -> Nomination:
    return Nomination.objects.get(
        category__ceremony__body__name="Actor Awards",
        category__name="Outstanding Performance by a Male Actor in a Supporting Role",
        films__imdb_id=IRISHMAN,
    )


@pytest.mark.usefixtures("checked")
@pytest.mark.django_db
class TestSources:
    def test_the_globes_sources_disagree_on_the_22nd_foreign_film_winners(self):
        # golden_globe_awards.csv, ceremony 22, "Foreign Film - Foreign Language": win True for
        # "Marriage Italian Style" only; golden-globes.yml '1965' > golden globe > best
        # foreign-language foreign film: winner [tt0058203, tt0058335, tt0058541].
        row = _disagreement(
            "Golden Globe Awards", 22, "Foreign Film - Foreign Language", Disagreement.Kind.WINNER
        )
        assert "won by Marriage Italian Style (1964) [tt0058335]" in row.archive_says
        assert "That Man from Rio (1964) [tt0058203]" in row.other_says
        assert row.other_source == "golden-globes.yml (1965)"
        assert not row.is_settled

    def test_the_oscar_sources_disagree_on_the_94th_documentary_winner(self):
        # oscars.csv, ceremony 94, DOCUMENTARY (Feature): Summer of Soul, FilmId tt11422728,
        # Winner True; oscars.yml '2022' > oscar > best documentary feature: winner [tt7378922].
        row = _disagreement(
            "Academy Awards", 94, "Best Documentary Feature", Disagreement.Kind.WINNER
        )
        assert "[tt11422728]" in row.archive_says
        assert row.other_says.endswith("won by tt7378922")

    def test_checking_again_keeps_each_disagreement_once(self, checked):
        folder, _ = checked
        before = Disagreement.objects.count()
        out = run("import_awards", folder / "golden-globes.yml", folder / "oscars.yml")
        assert "(0 new, for an editor to settle)" in out
        assert Disagreement.objects.count() == before

    def test_settling_is_audited_with_the_reason_and_happens_once(self, django_user_model):
        editor = django_user_model.objects.create_user("checker")
        row = _disagreement(
            "Academy Awards", 94, "Best Documentary Feature", Disagreement.Kind.WINNER
        )
        version = row.ceremony.version
        services.disagreement_settle(
            disagreement_id=row.pk,
            verdict="archive",
            reason="IMDb lists the film under both ids; the Academy's database names it.",
            editor=editor,
        )
        row.refresh_from_db()
        assert (row.verdict, row.settled_by) == ("archive", "checker")
        entry = AuditEntry.objects.get(ceremony=row.ceremony, action=AuditEntry.Action.SETTLE)
        assert entry.reason.startswith("IMDb lists")
        assert Ceremony.objects.get(pk=row.ceremony_id).version == version + 1
        with pytest.raises(services.ServiceError, match="Already settled by checker"):
            services.disagreement_settle(
                disagreement_id=row.pk, verdict="other", reason="again", editor=editor
            )

    def test_a_settlement_needs_a_reason(self):
        row = Disagreement.objects.filter(kind=Disagreement.Kind.WINNER).first()
        with pytest.raises(services.ServiceError, match="Say why"):
            services.disagreement_settle(
                disagreement_id=row.pk, verdict="archive", reason="  ", editor=None
            )
        row.refresh_from_db()
        assert not row.is_settled

    def test_an_editor_settles_who_a_cannot_tell_row_was(self, django_user_model):
        # actor-awards.yml '2020' > male actor in a supporting role: winner [tt0910970] (Brad
        # Pitt's Once upon a Time... in Hollywood); nominee tt1302006 (The Irishman) has two
        # nominees in the 92nd's Supporting Actor: Al Pacino and Joe Pesci.
        editor = django_user_model.objects.create_user("settler")
        row = _irishman_row()
        assert row.performer_unknown
        choices = services.performer_choices(row)
        assert sorted(n.nominee for n in choices) == ["Al Pacino", "Joe Pesci"]
        oscars = Ceremony.objects.get(body__name="Academy Awards", edition=92)
        pesci = next(n for n in choices if n.nominee == "Joe Pesci")
        services.performer_settle(
            nomination_id=row.pk,
            oscar_nomination_id=pesci.pk,
            reason="SAG's own list of 2020 nominees names Joe Pesci for The Irishman.",
            editor=editor,
        )
        row.refresh_from_db()
        assert not row.performer_unknown
        assert [p.name for p in row.people.all()] == ["Joe Pesci"]
        assert AuditEntry.objects.filter(
            ceremony=row.category.ceremony, action=AuditEntry.Action.SETTLE
        ).exists()
        assert Ceremony.objects.get(pk=oscars.pk).version > oscars.version

    def test_a_performer_must_be_one_of_the_films_oscar_nominees(self):
        row = _irishman_row()
        other = Nomination.objects.filter(category__ceremony__edition=94).first()
        with pytest.raises(services.ServiceError, match="not an Oscar nomination of this film"):
            services.performer_settle(
                nomination_id=row.pk, oscar_nomination_id=other.pk, reason="x", editor=None
            )

    def test_the_editors_page_shows_both_sources_side_by_side(self, admin_client):
        page = admin_client.get(reverse("admin:ceremony_disagreement_changelist"))
        assert page.status_code == 200
        text = page.content.decode()
        assert "golden-globes.yml (1965)" in text
        assert "Summer of Soul" in text
        assert "precursor winners whose performer the files cannot tell" in text

    def test_an_editor_settles_on_the_page(self, admin_client):
        row = _disagreement(
            "Golden Globe Awards", 22, "Foreign Film - Foreign Language", Disagreement.Kind.WINNER
        )
        url = reverse("admin:ceremony_disagreement_change", args=[row.pk])
        assert "That Man from Rio" in admin_client.get(url).content.decode()
        refused = admin_client.post(url, {"verdict": "other", "reason": ""})
        assert refused.status_code == 200
        done = admin_client.post(
            url, {"verdict": "other", "reason": "The HFPA's site lists three."}
        )
        assert done.status_code == 302
        row.refresh_from_db()
        assert row.verdict == "other"

    def test_an_editor_of_the_editors_group_may_settle(self, client, django_user_model):
        editor = django_user_model.objects.create_user("desk", password="x", is_staff=True)
        editor.groups.add(editors_group())
        client.force_login(editor)
        row = _disagreement(
            "Academy Awards", 94, "Best Documentary Feature", Disagreement.Kind.WINNER
        )
        url = reverse("admin:ceremony_disagreement_change", args=[row.pk])
        done = client.post(url, {"verdict": "neither", "reason": "Both ids are the film."})
        assert done.status_code == 302
        assert client.get(reverse("admin:ceremony_disagreement_performers")).status_code == 200

    def test_the_performers_page_settles_a_row(self, admin_client):
        row = _irishman_row()
        listing = admin_client.get(reverse("admin:ceremony_disagreement_performers"))
        assert "The Irishman" in listing.content.decode()
        url = reverse("admin:ceremony_disagreement_performer", args=[row.pk])
        pacino = next(n for n in services.performer_choices(row) if n.nominee == "Al Pacino")
        done = admin_client.post(url, {"oscar_nomination": pacino.pk, "reason": "checked"})
        assert done.status_code == 302
        assert [p.name for p in row.people.all()] == ["Al Pacino"]


@pytest.mark.django_db
def test_near_misses_are_kept_once_for_the_editors(django_user_model):
    from tests.support.builders import make_ceremony

    ceremony = make_ceremony({"Best Picture": ["A"]}, status="final")
    miss = "not joined: 'The Road a Year Long' (1958) and 'The Year Long Road' (1958)"
    assert services.near_misses_record(misses=[(ceremony, miss)], source="x.csv") == 1
    assert services.near_misses_record(misses=[(ceremony, miss)], source="x.csv") == 0
    row = Disagreement.objects.get(kind=Disagreement.Kind.NEAR_MISS)
    assert row.archive_says == miss
