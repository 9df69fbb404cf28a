"""The sharing routes: result pages, cards, embeds (and who may frame them), oEmbed, the feed."""

import gzip
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from PIL import Image

from ceremony import services
from ceremony.models import Ceremony
from tests.support.builders import nomination, record
from tests.support.schemaorg import json_ld_of, vocabulary

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
PAGE = "/ceremonies/97th-academy-awards/"


def correct(ceremony, category: str, who: str, editor, reason="Misread envelope"):
    n = nomination(ceremony, category, who)
    return services.result_correct(
        category_id=n.category_id, nomination_ids=[n.pk], editor=editor, reason=reason
    )


def test_a_result_page_shows_the_winner_the_verdict_and_meta_tags_for_its_card(
    client, live_97, editor
):
    record(live_97, "Best Actress", "Mikey Madison", editor=editor)

    response = client.get(f"{PAGE}best-actress/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Mikey Madison" in html
    assert "Golden Globe" in html  # the verdict against the precursors
    assert (
        'property="og:image" content="http://testserver/ceremonies/97th-academy-awards/best-actress/card.png?r=1"'
        in html
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert 'type="application/json+oembed"' in html
    # The code to embed it, escaped to be read and copied.
    assert (
        "&lt;iframe src=&quot;http://testserver/embed/97th-academy-awards/best-actress/&quot;"
        in html
    )


def test_a_corrected_result_says_what_it_was_and_its_card_url_changes(client, live_97, editor):
    record(live_97, "Best Actress", "Demi Moore", editor=editor)
    before = client.get(f"{PAGE}best-actress/").content.decode()
    correct(live_97, "Best Actress", "Mikey Madison", editor)

    html = client.get(f"{PAGE}best-actress/").content.decode()

    assert "Corrected: was Demi Moore. Reason: Misread envelope" in html
    assert "card.png?r=1" in before
    assert "card.png?r=2" in html


def test_the_card_is_a_1200_by_630_png_drawn_once_then_served_from_the_cache(
    client, live_97, editor, monkeypatch
):
    from ceremony.sharing import cards

    record(live_97, "Best Picture", "Anora", editor=editor)
    cache.clear()
    drawn = []
    monkeypatch.setattr(
        cards, "draw_card", lambda text, real=cards.draw_card: drawn.append(text) or real(text)
    )

    first = client.get(f"{PAGE}best-picture/card.png")
    second = client.get(f"{PAGE}best-picture/card.png")

    assert first.status_code == 200
    assert first["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(first.content)).size == (1200, 630)
    assert second.content == first.content
    assert len(drawn) == 1
    assert drawn[0].headline == "Anora"


def test_a_correction_draws_a_new_card(client, live_97, editor):
    record(live_97, "Best Actress", "Demi Moore", editor=editor)
    before = client.get(f"{PAGE}best-actress/card.png").content
    correct(live_97, "Best Actress", "Mikey Madison", editor)

    after = client.get(f"{PAGE}best-actress/card.png").content

    assert after != before
    # Kept a day under the URL the meta tags give (the revision), a minute under any other.
    assert (
        client.get(f"{PAGE}best-actress/card.png?r=2")["Cache-Control"] == "public, max-age=86400"
    )
    assert client.get(f"{PAGE}best-actress/card.png?r=1")["Cache-Control"] == "public, max-age=60"


def test_unknown_ceremonies_and_categories_are_404_and_a_card_waits_for_its_result(client, live_97):
    assert client.get("/ceremonies/no-such-show/best-picture/").status_code == 404
    assert client.get(f"{PAGE}no-such-category/").status_code == 404
    assert client.get(f"{PAGE}no-such-category/card.png").status_code == 404
    assert client.get("/embed/no-such-show/").status_code == 404
    assert client.get("/embed/97th-academy-awards/no-such-category/").status_code == 404
    assert client.get("/ceremonies/no-such-show/results.atom").status_code == 404
    # Not announced: a page saying so, but no card yet.
    assert client.get(f"{PAGE}best-picture/").status_code == 200
    assert client.get(f"{PAGE}best-picture/card.png").status_code == 404


def test_a_ballot_score_has_a_page_and_card_within_the_ballots_bounds(client, live_97):
    page = client.get(f"{PAGE}called-18-of-23/")
    card = client.get(f"{PAGE}called-18-of-23.png")

    assert page.status_code == 200
    assert "I called 18 of 23" in page.content.decode()
    assert (
        'property="og:image" content="http://testserver/ceremonies/97th-academy-awards/'
        'called-18-of-23.png"' in page.content.decode()
    )
    assert Image.open(io.BytesIO(card.content)).size == (1200, 630)
    assert client.get(f"{PAGE}called-24-of-23.png").status_code == 404
    assert client.get(f"{PAGE}called-18-of-99.png").status_code == 404


def test_only_the_embed_routes_may_be_framed(client, live_97):
    embed = client.get("/embed/97th-academy-awards/")
    single = client.get("/embed/97th-academy-awards/best-picture/")
    page = client.get(PAGE)
    result = client.get(f"{PAGE}best-picture/")

    for response in (embed, single):
        assert response.status_code == 200
        assert "frame-ancestors *" in response["Content-Security-Policy"]
        assert "X-Frame-Options" not in response
    for response in (page, result):
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"


def test_the_embed_carries_a_link_back_and_the_socket_of_the_ceremony(client, live_97, editor):
    record(live_97, "Best Picture", "Anora", editor=editor)

    html = client.get("/embed/97th-academy-awards/").content.decode()

    assert 'href="/ceremonies/97th-academy-awards/" target="_blank"' in html
    assert 'data-socket="/ws/ceremonies/97th-academy-awards/"' in html
    assert "Anora" in html


def oembed(client, **query):
    return client.get("/oembed", query)


def test_oembed_answers_for_a_ceremony_page_with_an_iframe_of_its_embed(client, live_97):
    response = oembed(client, url=f"http://testserver{PAGE}", format="json")

    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "rich"
    assert data["version"] == "1.0"
    assert 'src="http://testserver/embed/97th-academy-awards/"' in data["html"]
    assert (data["width"], data["height"]) == (600, 640)


def test_oembed_for_a_result_page_embeds_that_category(client, live_97):
    data = oembed(client, url=f"http://testserver{PAGE}best-picture/").json()

    assert 'src="http://testserver/embed/97th-academy-awards/best-picture/"' in data["html"]


def test_oembed_refuses_a_foreign_url_and_pages_without_an_embed(client, live_97):
    assert oembed(client, url=f"https://evil.example{PAGE}").status_code == 404
    assert oembed(client, url="http://testserver/records/").status_code == 404
    assert oembed(client, url="javascript:alert(1)").status_code == 404
    assert oembed(client).status_code == 400
    assert oembed(client, url=f"http://testserver{PAGE}", format="xml").status_code == 501


def test_oembed_bounds_oversized_and_bad_sizes(client, live_97):
    url = f"http://testserver{PAGE}"
    huge = oembed(client, url=url, maxwidth=10**8, maxheight=10**8).json()
    small = oembed(client, url=url, maxwidth=320, maxheight=200).json()
    bad = oembed(client, url=url, maxwidth="wide")

    assert (huge["width"], huge["height"]) == (1200, 640)
    assert (small["width"], small["height"]) == (320, 200)
    assert bad.status_code == 400
    assert bad.content.decode().count("\n") == 0
    assert bad.content.startswith(b"maxwidth:")
    assert oembed(client, url=url, maxwidth=10**20).status_code == 400


def test_the_atom_feed_has_an_entry_per_result_and_a_correction_updates_its_entry(
    client, live_97, editor
):
    record(live_97, "Best Actress", "Demi Moore", editor=editor)
    record(live_97, "Best Picture", "Anora", editor=editor)
    first = ET.fromstring(client.get(f"{PAGE}results.atom").content)
    correct(live_97, "Best Actress", "Mikey Madison", editor)

    feed = ET.fromstring(client.get(f"{PAGE}results.atom").content)

    entries = {e.findtext(f"{ATOM}id"): e for e in feed.findall(f"{ATOM}entry")}
    before = {e.findtext(f"{ATOM}id"): e for e in first.findall(f"{ATOM}entry")}
    assert len(entries) == 2
    assert entries.keys() == before.keys()
    actress = next(e for e in entries.values() if "Best Actress" in e.findtext(f"{ATOM}title"))
    old = next(e for e in before.values() if "Best Actress" in e.findtext(f"{ATOM}title"))
    assert actress.findtext(f"{ATOM}title") == "Best Actress: Mikey Madison"
    assert "was Demi Moore" in actress.findtext(f"{ATOM}summary")
    assert actress.findtext(f"{ATOM}updated") > old.findtext(f"{ATOM}updated")
    assert actress.findtext(f"{ATOM}published") == old.findtext(f"{ATOM}published")
    # The latest update first.
    assert feed.findall(f"{ATOM}entry")[0] is actress


def test_the_ceremony_page_links_its_feed_and_oembed_and_offers_alerts(client, live_97):
    html = client.get(PAGE).content.decode()

    assert 'type="application/atom+xml" href="/ceremonies/97th-academy-awards/results.atom"' in html
    assert "/oembed?url=http%3A%2F%2Ftestserver%2Fceremonies%2F97th-academy-awards%2F" in html
    assert 'id="follow"' in html
    assert 'value="best-picture"' in html


EMBED_ASSETS = ["sharing/embed.js", "ceremony/stream.js", "ceremony/dom.js", "sharing/embed.css"]


def test_the_embed_with_its_script_and_style_weighs_under_15_kb_compressed(client, live_97, editor):
    record(live_97, "Best Picture", "Anora", editor=editor)
    record(live_97, "Best Actress", "Mikey Madison", editor=editor)
    page = client.get("/embed/97th-academy-awards/").content
    assets = [Path(finders.find(name)).read_bytes() for name in EMBED_ASSETS]

    weight = sum(len(gzip.compress(body)) for body in [page, *assets])

    assert weight < 15 * 1024, f"{weight} bytes compressed"


def test_results_imported_without_times_are_shared_too(client, globes_82):
    # Imported with the ceremony, not recorded on the night: winners, and no announced_at.
    Ceremony.objects.filter(pk=globes_82.pk).update(status="live")
    page = "/ceremonies/82nd-golden-globe-awards/"

    for path in (page, f"{page}results.atom", "/embed/82nd-golden-globe-awards/"):
        assert client.get(path).status_code == 200, path
    (data,) = json_ld_of(client.get(page).content.decode())
    assert len(data["liveBlogUpdate"]) == 15
    assert vocabulary().problems({k: v for k, v in data.items() if k != "@context"}) == []
    picture = client.get(f"{page}best-motion-picture-drama/")
    assert picture.status_code == 200
    assert client.get(f"{page}best-motion-picture-drama/card.png").status_code == 200


def test_a_rehearsal_is_never_shared_nor_linked_for_sharing(client, live_97, editor):
    services.ceremony_set_status(ceremony_id=live_97.pk, status="final", editor=editor)
    copy = services.ceremony_rehearsal_reset(ceremony_id=live_97.pk, editor=editor)
    services.ceremony_set_status(ceremony_id=copy.pk, status="live", editor=editor)
    record(copy, "Best Actress", "Mikey Madison", editor=editor)
    base = f"/ceremonies/{copy.slug}/"

    for path in (
        f"{base}best-actress/",
        f"{base}best-actress/card.png",
        f"{base}called-1-of-1/",
        f"{base}called-1-of-1.png",
        f"{base}results.atom",
        f"/embed/{copy.slug}/",
        f"/embed/{copy.slug}/best-actress/",
        f"/oembed?url=http://testserver{base}",
    ):
        assert client.get(path).status_code == 404, path
    page = client.get(base).content.decode()
    assert client.get(base).status_code == 200
    assert "og:image" not in page
    assert "application/json+oembed" not in page
    assert f'href="{base}best-actress/"' not in page
    assert "/pools/" not in page
