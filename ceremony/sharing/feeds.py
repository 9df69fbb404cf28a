"""The Atom feed of a ceremony's results (Django's syndication framework): an entry per result,
the latest first; a correction updates its result's entry (same id, a later `updated`)."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from ceremony.models import Ceremony
from ceremony.realtime import snapshots
from ceremony.sharing.results import Result, shareable_results


class CeremonyResultsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        ceremony = get_object_or_404(Ceremony.objects.real().select_related("body"), slug=slug)
        return snapshots.current_snapshot(ceremony).data

    def title(self, snapshot):
        return f"{snapshot['ceremony']['name']}: results"

    def subtitle(self, snapshot):
        progress = snapshot["progress"]
        return f"{progress['announced']} of {progress['total']} categories awarded."

    def link(self, snapshot):
        return reverse("ceremony:detail", args=[snapshot["ceremony"]["slug"]])

    def feed_url(self, snapshot):
        return reverse("sharing:feed", args=[snapshot["ceremony"]["slug"]])

    def items(self, snapshot) -> list[Result]:
        return shareable_results(snapshot)

    def item_title(self, item: Result):
        return item.title

    def item_description(self, item: Result):
        return item.summary

    def item_link(self, item: Result):
        return reverse("sharing:result", args=[item.ceremony["slug"], item.slug])

    def item_pubdate(self, item: Result):
        return item.announced_at or item.updated_at

    def item_updateddate(self, item: Result):
        return item.updated_at

    def item_categories(self, item: Result):
        return [item.name]
