import pytest

from ceremony import services
from ceremony.models import AuditEntry, Category, Ceremony, Nomination
from tests.conftest import make_ceremony, nomination, record

PICTURE = {
    "Best Picture": [("Anora",), ("The Brutalist",), ("Emilia Pérez",)],
    "Best Actress": [("Anora", "Mikey Madison"), ("The Substance", "Demi Moore")],
}


def state(ceremony: Ceremony) -> tuple:
    """Everything a write may change, to prove a refused write changed nothing."""
    ceremony.refresh_from_db()
    return (
        ceremony.version,
        ceremony.status,
        sorted(Nomination.objects.filter(won=True).values_list("pk", flat=True)),
        sorted(
            Category.objects.values_list(
                "pk", "order", "announced_at", "corrected_at", "is_tie", "revision"
            )
        ),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def ceremony(db):
    return make_ceremony(PICTURE)


def test_recording_a_winner_bumps_the_version_and_audits_it(ceremony, editor):
    version = ceremony.version
    anora = nomination(ceremony, "Best Picture", "Anora")

    category = services.result_record(
        category_id=anora.category_id, nomination_ids=[anora.pk], editor=editor
    )

    ceremony.refresh_from_db()
    assert ceremony.version == version + 1
    anora.refresh_from_db()
    assert anora.won
    assert category.announced_at is not None
    assert category.recorded_by == editor
    entry = AuditEntry.objects.get(category=category)
    assert entry.action == AuditEntry.Action.RECORD
    assert entry.editor == editor
    assert entry.editor_name == "editor"
    assert entry.version == ceremony.version
    assert entry.before == {"winners": [], "tie": False}
    assert entry.after == {"winners": [{"id": anora.pk, "label": "Anora"}], "tie": False}


def test_recording_publishes_once_after_commit(
    ceremony, editor, django_capture_on_commit_callbacks
):
    anora = nomination(ceremony, "Best Picture", "Anora")

    with django_capture_on_commit_callbacks() as callbacks:
        services.result_record(
            category_id=anora.category_id, nomination_ids=[anora.pk], editor=editor
        )

    assert len(callbacks) == 1


def test_a_nominee_of_another_category_is_refused_and_nothing_is_written(ceremony, editor):
    picture = Category.objects.get(name="Best Picture")
    madison = nomination(ceremony, "Best Actress", "Mikey Madison")
    before = state(ceremony)

    with pytest.raises(services.ServiceError, match="is not a nominee in Best Picture"):
        services.result_record(category_id=picture.pk, nomination_ids=[madison.pk], editor=editor)

    assert state(ceremony) == before


@pytest.mark.parametrize(
    ("category_id", "nomination_ids", "message"),
    [
        (10**9, [1], "no category with id"),
        (None, [10**9], "no nomination with id"),
        (None, [], "Choose the winner"),
    ],
)
def test_unknown_ids_are_refused_and_nothing_is_written(
    ceremony, editor, category_id, nomination_ids, message
):
    picture = Category.objects.get(name="Best Picture")
    before = state(ceremony)

    with pytest.raises(services.ServiceError, match=message):
        services.result_record(
            category_id=category_id or picture.pk, nomination_ids=nomination_ids, editor=editor
        )

    assert state(ceremony) == before


@pytest.mark.parametrize("status", ["draft", "final"])
def test_results_are_refused_unless_the_ceremony_is_live(db, editor, status):
    ceremony = make_ceremony(PICTURE, status=status)
    anora = nomination(ceremony, "Best Picture", "Anora")
    before = state(ceremony)

    with pytest.raises(services.ServiceError, match="only while it is live"):
        services.result_record(
            category_id=anora.category_id, nomination_ids=[anora.pk], editor=editor
        )

    assert state(ceremony) == before


def test_two_winners_are_refused_unless_recorded_as_a_tie(ceremony, editor):
    anora = nomination(ceremony, "Best Picture", "Anora")
    brutalist = nomination(ceremony, "Best Picture", "The Brutalist")
    before = state(ceremony)

    with pytest.raises(services.ServiceError, match="only as a tie"):
        services.result_record(
            category_id=anora.category_id, nomination_ids=[anora.pk, brutalist.pk], editor=editor
        )

    assert state(ceremony) == before


def test_a_tie_of_one_is_refused(ceremony, editor):
    anora = nomination(ceremony, "Best Picture", "Anora")
    before = state(ceremony)

    with pytest.raises(services.ServiceError, match="at least two winners"):
        services.result_record(
            category_id=anora.category_id, nomination_ids=[anora.pk], editor=editor, tie=True
        )

    assert state(ceremony) == before


def test_a_deliberate_tie_records_both_winners(ceremony, editor):
    category = record(ceremony, "Best Picture", "Anora", "The Brutalist", editor=editor)

    assert category.is_tie
    assert sorted(category.nominations.won().values_list("film_title", flat=True)) == [
        "Anora",
        "The Brutalist",
    ]
    assert AuditEntry.objects.get(category=category).action == AuditEntry.Action.TIE


def test_recording_an_announced_category_again_is_a_conflict(ceremony, editor):
    record(ceremony, "Best Picture", "Emilia Pérez", editor=editor)
    before = state(ceremony)

    with pytest.raises(services.ConflictError, match="already recorded: Emilia Pérez"):
        record(ceremony, "Best Picture", "Anora", editor=editor)

    assert state(ceremony) == before


def test_a_stale_revision_is_a_conflict_that_shows_what_is_recorded(ceremony, editor):
    picture = Category.objects.get(name="Best Picture")
    seen = picture.revision
    record(ceremony, "Best Picture", "Emilia Pérez", editor=editor)
    anora = nomination(ceremony, "Best Picture", "Anora")
    before = state(ceremony)

    with pytest.raises(services.ConflictError) as raised:
        services.result_correct(
            category_id=picture.pk,
            nomination_ids=[anora.pk],
            editor=editor,
            reason="Wrong envelope",
            expected_revision=seen,
        )

    assert "changed by editor" in str(raised.value)
    assert "Recorded now: Emilia Pérez" in str(raised.value)
    assert raised.value.current["winners"][0]["label"] == "Emilia Pérez"
    assert state(ceremony) == before


def test_a_correction_moves_the_win_and_is_audited_with_its_reason(ceremony, editor):
    category = record(ceremony, "Best Picture", "Emilia Pérez", editor=editor)
    anora = nomination(ceremony, "Best Picture", "Anora")

    corrected = services.result_correct(
        category_id=category.pk,
        nomination_ids=[anora.pk],
        editor=editor,
        reason="Wrong envelope",
        expected_revision=category.revision,
    )

    assert list(corrected.nominations.won().values_list("film_title", flat=True)) == ["Anora"]
    assert corrected.corrected_at is not None
    assert corrected.announced_at == category.announced_at
    entry = AuditEntry.objects.filter(category=category).first()
    assert entry.action == AuditEntry.Action.CORRECT
    assert entry.reason == "Wrong envelope"
    assert entry.before["winners"][0]["label"] == "Emilia Pérez"
    assert entry.after["winners"][0]["label"] == "Anora"


@pytest.mark.parametrize(
    ("reason", "who", "message"),
    [("  ", "Anora", "needs a short reason"), ("Oops", "Emilia Pérez", "nothing to correct")],
)
def test_a_correction_without_reason_or_change_is_refused(ceremony, editor, reason, who, message):
    category = record(ceremony, "Best Picture", "Emilia Pérez", editor=editor)
    target = nomination(ceremony, "Best Picture", who)
    before = state(ceremony)

    with pytest.raises(services.ServiceError, match=message):
        services.result_correct(
            category_id=category.pk, nomination_ids=[target.pk], editor=editor, reason=reason
        )

    assert state(ceremony) == before


def test_correcting_a_category_not_yet_announced_is_refused(ceremony, editor):
    anora = nomination(ceremony, "Best Picture", "Anora")

    with pytest.raises(services.ServiceError, match="no result yet"):
        services.result_correct(
            category_id=anora.category_id, nomination_ids=[anora.pk], editor=editor, reason="x"
        )


def test_withdrawing_returns_the_category_to_not_announced(ceremony, editor):
    category = record(ceremony, "Best Picture", "Emilia Pérez", editor=editor)

    withdrawn = services.result_withdraw(
        category_id=category.pk, editor=editor, reason="Announced too early"
    )

    assert not withdrawn.nominations.won().exists()
    assert withdrawn.announced_at is None
    assert withdrawn.corrected_at is not None
    assert AuditEntry.objects.filter(category=category).first().action == "withdraw"
    # And it can then be recorded afresh.
    record(ceremony, "Best Picture", "Anora", editor=editor)


def test_status_moves_draft_live_final_and_reopening_needs_a_reason(db, editor):
    ceremony = make_ceremony(PICTURE, status="draft")

    services.ceremony_set_status(ceremony_id=ceremony.pk, status="live", editor=editor)
    services.ceremony_set_status(ceremony_id=ceremony.pk, status="final", editor=editor)
    before = state(ceremony)
    with pytest.raises(services.ServiceError, match="needs a reason"):
        services.ceremony_set_status(ceremony_id=ceremony.pk, status="live", editor=editor)
    assert state(ceremony) == before

    services.ceremony_set_status(
        ceremony_id=ceremony.pk, status="live", editor=editor, reason="Late correction"
    )

    ceremony.refresh_from_db()
    assert ceremony.status == "live"
    actions = list(
        AuditEntry.objects.filter(action="status").order_by("pk").values_list("after", "reason")
    )
    assert actions[-3:] == [
        ({"status": "live"}, ""),
        ({"status": "final"}, ""),
        ({"status": "live"}, "Late correction"),
    ]


@pytest.mark.parametrize(("start", "target"), [("draft", "final"), ("live", "live"), ("live", "x")])
def test_impossible_status_changes_are_refused(db, editor, start, target):
    ceremony = make_ceremony(PICTURE, status=start)
    before = state(ceremony)

    with pytest.raises(services.ServiceError):
        services.ceremony_set_status(ceremony_id=ceremony.pk, status=target, editor=editor)

    assert state(ceremony) == before


def test_a_ceremony_with_results_cannot_go_back_to_draft(ceremony, editor):
    record(ceremony, "Best Picture", "Anora", editor=editor)

    with pytest.raises(services.ServiceError, match="cannot go back to draft"):
        services.ceremony_set_status(ceremony_id=ceremony.pk, status="draft", editor=editor)


def test_reorder_sets_the_presentation_order_and_is_audited(ceremony, editor):
    picture, actress = Category.objects.in_order()

    services.ceremony_reorder(
        ceremony_id=ceremony.pk, category_ids=[actress.pk, picture.pk], editor=editor
    )

    assert list(Category.objects.in_order().values_list("name", flat=True)) == [
        "Best Actress",
        "Best Picture",
    ]
    assert AuditEntry.objects.first().action == "reorder"


def test_reorder_must_name_every_category_once(ceremony, editor):
    picture, actress = Category.objects.in_order()
    before = state(ceremony)

    for ids in ([picture.pk], [picture.pk, picture.pk], [picture.pk, actress.pk]):
        with pytest.raises(services.ServiceError):
            services.ceremony_reorder(ceremony_id=ceremony.pk, category_ids=ids, editor=editor)

    assert state(ceremony) == before


def test_a_failing_write_rolls_back_everything_including_the_version(ceremony, editor):
    anora = nomination(ceremony, "Best Picture", "Anora")
    before = state(ceremony)

    def write_then_fail():
        with services.transaction.atomic():
            services.result_record(
                category_id=anora.category_id, nomination_ids=[anora.pk], editor=editor
            )
            raise RuntimeError("the request died after the write")

    with pytest.raises(RuntimeError):
        write_then_fail()

    assert state(ceremony) == before


def test_people_are_one_identity_across_accents_and_case(db):
    first = services.person_resolve(name="Ludwig Göransson")

    assert services.person_resolve(name="ludwig goransson") == first
    assert services.person_resolve(name="Ludwig Goransson", imdb_id="nm1") == first
    assert services.person_resolve(name="Ludwig Göransson", imdb_id="nm2") != first


def test_films_of_the_same_title_decades_apart_are_different_films(db):
    old = services.film_resolve(title="Little Women", year=1933)

    assert services.film_resolve(title="little women", year=1934) == old
    assert services.film_resolve(title="Little Women", year=2019) != old


def test_split_credit_reads_the_shared_name_format():
    assert services.split_credit("Alex Coco, Samantha Quan and Sean Baker") == [
        "Alex Coco",
        "Samantha Quan",
        "Sean Baker",
    ]
    assert services.split_credit("Kieran Culkin") == ["Kieran Culkin"]
