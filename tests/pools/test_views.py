"""The pools' pages over HTTP: creating, joining, the ballot, the page without JavaScript, the
host's side, the CSV; crafted requests after the lock; and the limits per address."""

import csv
import io
import re

import pytest
from django.urls import reverse

from ceremony.pools.models import Member, Pool
from tests.support.ballots import shared
from tests.support.builders import record
from tests.support.pools import correct, go_live, hand_count, picks, player

pytestmark = pytest.mark.django_db


def manage_url(created, tail=""):
    return reverse("pools:manage", args=[created.pool.code, created.manage_secret]) + tail


def joined(client, pool, name="Ann", **extra):
    return client.post(reverse("pools:join", args=[pool.code]), {"name": name, **extra})


def ballot_post(client, pool, show, chosen, **extra):
    data = {f"pick-{slug}": str(i) for slug, i in picks(show, chosen).items()}
    return client.post(reverse("pools:ballot", args=[pool.code]), {**data, **extra})


def test_a_host_creates_a_pool_and_is_sent_to_the_private_manage_page(client, show):
    response = client.post(
        reverse("pools:create", args=[show.slug]),
        {"name": "Family", "scoring": "points"}
        | {f"points-{slug}": "1" for slug in picks(show, {"Best Picture": "Anora"})}
        | {"points-best-director": "3", "points-best-actress": "1"},
    )
    assert response.status_code == 302
    pool = Pool.objects.get(name="Family")
    assert pool.points == {"best-director": 3}
    page = client.get(response["Location"])
    assert pool.code in page.text
    assert "Keep this page" in page.text


def test_a_bad_create_form_gets_one_line_and_keeps_what_was_typed(client, show):
    response = client.post(reverse("pools:create", args=[show.slug]), {"name": "Fam"})
    assert response.status_code == 400
    assert response.text.count('role="alert"') == 1
    assert 'value="Fam"' in response.text


def test_a_player_joins_by_code_carries_a_ballot_and_changes_it(client, show, pool):
    ids = picks(show, {"Best Picture": "Anora", "Best Director": "Sean Baker"})
    carried = shared(ids.values())
    response = joined(client, pool, carried=carried)
    assert response.status_code == 302
    member = Member.objects.get(pool=pool, name="Ann")
    assert member.picks == ids
    response = ballot_post(client, pool, show, {"Best Picture": "Conclave"}, tiebreak="4")
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.picks == picks(show, {"Best Picture": "Conclave"})
    assert member.tiebreak == 4
    page = client.get(reverse("pools:ballot", args=[pool.code]) + "?saved=1")
    assert "Saved." in page.text


def test_a_code_typed_in_lower_case_with_a_dash_finds_the_pool(client, pool):
    typed = pool.code[:5].lower() + "-" + pool.code[5:].lower()
    response = client.get(reverse("pools:find") + f"?code={typed}")
    assert client.get(response["Location"], follow=True).status_code == 200


def test_picks_stay_hidden_until_the_lock_then_everyone_sees_everyones(client, show, pool):
    player(pool.pk, "Ann", show, {"Best Picture": "Anora"})
    url = reverse("pools:picks", args=[pool.code])
    before = client.get(url).json()
    assert before["locked"] is False
    assert before["members"] == [{"id": before["members"][0]["id"], "name": "Ann"}]
    page = client.get(reverse("pools:detail", args=[pool.code]))
    assert "Anora" not in page.text.split('id="snapshot-data"')[0].split("pool-open")[1]
    go_live(show)
    after = client.get(url)
    assert after.json()["members"][0]["picks"] == picks(show, {"Best Picture": "Anora"})
    assert client.get(url, HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 304


def test_the_page_without_javascript_shows_standings_equal_to_a_count_by_hand(client, show, pool):
    ballots = {
        "Ann": {"Best Picture": "Anora", "Best Director": "Sean Baker"},
        "Bo": {"Best Picture": "Conclave", "Best Director": "Brady Corbet"},
        "Cy": {"Best Picture": "Anora", "Best Actress": "Demi Moore"},
    }
    for name, chosen in ballots.items():
        player(pool.pk, name, show, chosen)
    go_live(show)
    record(show, "Best Picture", "Conclave")
    record(show, "Best Director", "Sean Baker")
    correct(show, "Best Picture", "Anora")
    record(show, "Best Actress", "Mikey Madison")
    winners = {
        "Best Picture": "Anora",
        "Best Director": "Sean Baker",
        "Best Actress": "Mikey Madison",
    }
    page = client.get(reverse("pools:detail", args=[pool.code])).text
    shown = dict(
        re.findall(r'class="name">([^<]+)</span>.*?<td class="points num">(\d+)</td>', page, re.S)
    )
    assert {k: int(v) for k, v in shown.items()} == hand_count(ballots, winners)
    assert "Most picked: Anora (2 of 3)" in page


@pytest.fixture
def locked_member(client, show, pool):
    joined(client, pool)
    ballot_post(client, pool, show, {"Best Picture": "Anora"}, tiebreak="3")
    go_live(show)
    return Member.objects.get(pool=pool, name="Ann")


def test_after_the_lock_no_crafted_request_changes_a_ballot(client, show, pool, locked_member):
    before = (locked_member.picks, locked_member.tiebreak)
    url = reverse("pools:ballot", args=[pool.code])
    attempts = [
        ballot_post(client, pool, show, {"Best Picture": "Conclave"}, tiebreak="9"),
        client.post(url, {}),
        client.post(url, '{"picks": {}}', content_type="application/json"),
        client.post(url + "?saved=1", {"pick-best-picture": "x" * 5000}),
        client.post(reverse("pools:leave", args=[pool.code])),
        joined(client, pool, "Late"),
    ]
    client.cookies.clear()
    forged = f"{locked_member.pk}.not-the-secret"
    client.cookies[f"pool-{pool.code}"] = forged
    attempts.append(ballot_post(client, pool, show, {"Best Picture": "Conclave"}))
    assert [r.status_code for r in attempts] == [403, 403, 403, 403, 403, 403, 403]
    for response in attempts:
        assert response.text.count('role="alert"') == 1
    locked_member.refresh_from_db()
    assert (locked_member.picks, locked_member.tiebreak) == before
    assert list(Member.objects.filter(pool=pool).values_list("name", flat=True)) == ["Ann"]


def test_another_member_s_ballot_cannot_be_changed_with_one_s_own_secret(client, show, pool):
    other = player(pool.pk, "Bo", show, {"Best Picture": "Anora"})
    joined(client, pool)
    mine = client.cookies[f"pool-{pool.code}"].value
    client.cookies[f"pool-{pool.code}"] = f"{other.pk}.{mine.partition('.')[2]}"
    response = ballot_post(client, pool, show, {"Best Picture": "Conclave"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.picks == picks(show, {"Best Picture": "Anora"})


def test_names_are_escaped_on_the_page_and_formula_cells_quoted_in_the_csv(client, created, show):
    pool = created.pool
    player(pool.pk, "<script>x</script>", show, {"Best Picture": "Anora"})
    player(pool.pk, "=HYPERLINK(1)", show, {})
    player(pool.pk, "@SUM", show, {})
    player(pool.pk, "-1+2", show, {})
    go_live(show)
    page = client.get(reverse("pools:detail", args=[pool.code])).text
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    export = client.get(manage_url(created, "export.csv"))
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    names = {row[1] for row in rows[1:]}
    assert names == {"<script>x</script>", "'=HYPERLINK(1)", "'@SUM", "'-1+2"}
    assert rows[0][:5] == ["rank", "name", "points", "hits", "tiebreak"]
    assert "Anora" in {cell for row in rows for cell in row}


def test_the_host_removes_a_member_sets_the_answer_and_deletes_the_pool(client, created, show):
    pool = created.pool
    ann = player(pool.pk, "Ann", show, {})
    assert (
        client.post(manage_url(created), {"action": "remove", "member": ann.pk}).status_code == 302
    )
    assert client.post(manage_url(created), {"action": "answer", "answer": "5"}).status_code == 302
    assert Pool.objects.get(pk=pool.pk).tiebreak_answer == 5
    bad = client.post(manage_url(created), {"action": "answer", "answer": "-3"})
    assert bad.status_code == 400
    assert bad.text.count('role="alert"') == 1
    client.post(manage_url(created), {"action": "delete"})
    assert not Pool.objects.filter(pk=pool.pk).exists()


def test_a_wrong_manage_secret_is_a_404(client, created):
    url = reverse("pools:manage", args=[created.pool.code, "guess"])
    assert client.get(url).status_code == 404
    assert client.get(url + "export.csv").status_code == 404


# --- limits per address ---------------------------------------------------------------------


def test_creating_past_the_limit_is_refused_with_a_clear_message(client, show, settings):
    settings.POOL_RATES = {**settings.POOL_RATES, "create": "2/hour"}
    url = reverse("pools:create", args=[show.slug])
    codes = [client.post(url, {"name": "P", "scoring": "points"}).status_code for _ in range(3)]
    assert codes[2] == 429
    refused = client.post(url, {"name": "P", "scoring": "points"})
    assert "Too many pools created from your address" in refused.text
    other = client.post(url, {"name": "P"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code != 429


def test_joining_past_the_limit_is_refused(client, pool, settings):
    settings.POOL_RATES = {**settings.POOL_RATES, "join": "2/hour"}
    codes = [joined(client, pool, f"P{i}").status_code for i in range(3)]
    assert codes == [302, 302, 429]
    assert Member.objects.filter(pool=pool).count() == 2


def test_saving_past_the_limit_is_refused_and_keeps_the_last_save(client, show, pool, settings):
    settings.POOL_RATES = {**settings.POOL_RATES, "save": "2/minute"}
    joined(client, pool)
    ballot_post(client, pool, show, {"Best Picture": "Anora"})
    ballot_post(client, pool, show, {"Best Picture": "Conclave"})
    refused = ballot_post(client, pool, show, {"Best Picture": "The Brutalist"})
    assert refused.status_code == 429
    assert "Too many ballot saves" in refused.text
    assert Member.objects.get(pool=pool).picks == picks(show, {"Best Picture": "Conclave"})


def test_walking_codes_is_stopped_and_then_even_a_real_code_is_refused(client, pool, settings):
    settings.POOL_RATES = {**settings.POOL_RATES, "lookup": "3/minute"}
    assert client.get(reverse("pools:detail", args=[pool.code])).status_code == 200
    misses = [client.get(f"/pools/{'2' * 10}/").status_code for _ in range(4)]
    assert misses == [404, 404, 404, 429]
    assert client.get(reverse("pools:detail", args=[pool.code])).status_code == 429
    assert (
        client.get(reverse("pools:detail", args=[pool.code]), REMOTE_ADDR="10.0.0.9").status_code
        == 200
    )


def test_out_of_range_ids_in_a_cookie_or_a_form_are_refused_not_errors(client, created):
    pool = created.pool
    client.cookies[f"pool-{pool.code}"] = f"{'9' * 30}.secret"
    assert client.post(reverse("pools:ballot", args=[pool.code]), {}).status_code == 403
    huge = client.post(manage_url(created), {"action": "remove", "member": "9" * 30})
    assert huge.status_code == 400
    assert huge.text.count('role="alert"') == 1
