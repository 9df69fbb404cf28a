"""The admin: the live desk editors use on the night, the append-only audit log, and plain
model admin for preparing ceremonies.

The desk is a set of views of `CeremonyAdmin`. Every write it makes is a call to
`ceremony.services`, which validates, checks the editor's `expected_revision` and audits; the desk
only turns form fields into arguments and the service's verdict into a message.
"""

import json
import zoneinfo
from collections.abc import Callable

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from ceremony import services
from ceremony.models import (
    AuditEntry,
    AwardBody,
    Category,
    Ceremony,
    Film,
    Nomination,
    Person,
    PrecursorLink,
)

DESK_PERMISSION = "ceremony.use_live_desk"

# What the desk offers for each status change it allows; reopening a final ceremony asks a reason.
STATUS_ACTIONS = {
    (Ceremony.Status.DRAFT, Ceremony.Status.LIVE): "Go live",
    (Ceremony.Status.LIVE, Ceremony.Status.FINAL): "Mark final (locks results)",
    (Ceremony.Status.LIVE, Ceremony.Status.DRAFT): "Back to draft",
    (Ceremony.Status.FINAL, Ceremony.Status.LIVE): "Reopen",
}

# The admin index names the desk; its template lives with the desk's.
admin.site.index_template = "admin/ceremony/index.html"


def _int(value: str | None, what: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    # Ids and revisions are never negative, and past 64 bits some databases overflow (a 500).
    if not 0 <= number < 2**63:
        raise services.ServiceError(
            f"The {what} sent ({value!r}) is not valid; reload the desk and try again."
        )
    return number


def _winner_labels(category: Category) -> str:
    labels = [str(n) for n in category.nominations.filter(won=True).order_by("order", "pk")]
    return " and ".join(labels) or "nothing"


class PublishesEdits:
    """For what readers' snapshots show: every save or delete through these forms gives the
    ceremonies it touches a new version and an audit entry (services.ceremony_touch), so pages,
    caches and sockets move on to it rather than serving the old state under the old version."""

    def ceremonies_of(self, obj) -> list[int]:
        raise NotImplementedError

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        services.ceremony_touch(
            ceremony_ids=self.ceremonies_of(obj),
            editor=request.user,
            change=f"{'changed' if change else 'added'} {obj._meta.verbose_name} {obj}",
        )

    def delete_model(self, request, obj):
        ceremony_ids = self.ceremonies_of(obj)
        super().delete_model(request, obj)
        services.ceremony_touch(
            ceremony_ids=ceremony_ids,
            editor=request.user,
            change=f"deleted {obj._meta.verbose_name} {obj}",
        )

    def delete_queryset(self, request, queryset):
        ceremony_ids = [pk for obj in queryset for pk in self.ceremonies_of(obj)]
        names = ", ".join(str(obj) for obj in queryset)
        super().delete_queryset(request, queryset)
        services.ceremony_touch(
            ceremony_ids=ceremony_ids,
            editor=request.user,
            change=f"deleted {queryset.model._meta.verbose_name_plural} {names}",
        )


@admin.register(AwardBody)
class AwardBodyAdmin(PublishesEdits, admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone"]

    def ceremonies_of(self, obj):
        return list(obj.ceremonies.values_list("pk", flat=True))


@admin.register(Ceremony)
class CeremonyAdmin(PublishesEdits, admin.ModelAdmin):
    list_display = ["name", "body", "date", "status", "version", "desk_link"]
    list_filter = ["body", "status"]
    search_fields = ["name"]
    # Status and version change only through the live desk's services.
    readonly_fields = ["status", "version", "updated_at"]

    def ceremonies_of(self, obj):
        return [obj.pk]

    @admin.display(description="Live desk")
    def desk_link(self, obj):
        return format_html(
            '<a href="{}">Open the desk</a>',
            reverse("admin:ceremony_ceremony_desk", args=[obj.pk]),
        )

    # --- the live desk ------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        # Before the stock URLs: their "<path:object_id>/" would swallow these.
        return [
            path("desk/", wrap(self.desk_index_view), name="ceremony_ceremony_desks"),
            path("<int:ceremony_id>/desk/", wrap(self.desk_view), name="ceremony_ceremony_desk"),
            path(
                "<int:ceremony_id>/desk/<slug:action>/",
                wrap(self.desk_action_view),
                name="ceremony_ceremony_desk_action",
            ),
            *super().get_urls(),
        ]

    def _require_desk_permission(self, request: HttpRequest) -> None:
        if not request.user.has_perm(DESK_PERMISSION):
            raise PermissionDenied("The live desk is for editors (the Editors group).")

    def _desk_context(self, request: HttpRequest, **context) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.opts, **context}

    def desk_index_view(self, request: HttpRequest):
        self._require_desk_permission(request)
        ceremonies = Ceremony.objects.select_related("body").order_by("-date", "-edition")
        # Live ceremonies first: on the night, the one the editor wants is at the top.
        ceremonies = sorted(ceremonies, key=lambda c: not c.is_live)
        return TemplateResponse(
            request,
            "admin/ceremony/desk_index.html",
            self._desk_context(request, title="Live desk", ceremonies=ceremonies),
        )

    def desk_view(self, request: HttpRequest, ceremony_id: int):
        self._require_desk_permission(request)
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        ceremony = get_object_or_404(Ceremony.objects.select_related("body"), pk=ceremony_id)
        # Read before the rows: a write landing in between then shows up as a newer version
        # on the socket and the page refreshes, rather than being missed.
        version = ceremony.version
        categories = list(
            ceremony.categories.in_order()
            .select_related("recorded_by")
            .prefetch_related(
                Prefetch("nominations", queryset=Nomination.objects.order_by("order", "pk"))
            )
        )
        next_category = None
        for category in categories:
            category.desk_winners = [n for n in category.nominations.all() if n.won]
            if next_category is None and not category.desk_winners:
                next_category = category
        competitive = [c for c in categories if c.competitive]
        has_results = any(c.desk_winners for c in categories)
        status_actions = [
            {"status": target, "label": label, "needs_reason": source == Ceremony.Status.FINAL}
            for (source, target), label in STATUS_ACTIONS.items()
            # With results, going back to draft is refused: do not offer it.
            if source == ceremony.status and not (target == Ceremony.Status.DRAFT and has_results)
        ]
        return TemplateResponse(
            request,
            "admin/ceremony/desk.html",
            self._desk_context(
                request,
                title=f"Live desk: {ceremony.name}",
                ceremony=ceremony,
                version=version,
                categories=categories,
                next_category=next_category,
                announced=sum(bool(c.desk_winners) for c in competitive),
                competitive=len(competitive),
                status_actions=status_actions,
                socket_path=f"/ws/ceremonies/{ceremony.slug}/",
            ),
        )

    def desk_action_view(self, request: HttpRequest, ceremony_id: int, action: str):
        self._require_desk_permission(request)
        handler = self._desk_handlers().get(action)
        if handler is None:
            raise Http404(f"The desk has no action {action!r}.")
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        ceremony = get_object_or_404(Ceremony, pk=ceremony_id)
        desk_url = reverse("admin:ceremony_ceremony_desk", args=[ceremony.pk])
        anchor = ""
        try:
            message, anchor = handler(request, ceremony)
        except services.ServiceError as exc:
            # ConflictError included: its message says what is recorded now. Nothing was written.
            messages.error(request, str(exc))
            category_id = request.POST.get("category", "")
            anchor = f"#category-{category_id}" if category_id.isdigit() else ""
        else:
            messages.success(request, message)
        return redirect(desk_url + anchor)

    def _desk_handlers(self) -> dict[str, Callable]:
        return {
            "record": self._desk_record,
            "correct": self._desk_correct,
            "withdraw": self._desk_withdraw,
            "reorder": self._desk_reorder,
            "status": self._desk_status,
        }

    @staticmethod
    def _desk_category(ceremony: Ceremony, post) -> Category:
        category_id = _int(post.get("category"), "category")
        category = Category.objects.filter(pk=category_id, ceremony=ceremony).first()
        if category is None:
            raise services.ServiceError(
                f"There is no category with id {category_id} in {ceremony.name}."
            )
        return category

    @staticmethod
    def _result_arguments(request: HttpRequest, category: Category) -> dict:
        post = request.POST
        return {
            "category_id": category.pk,
            "nomination_ids": [_int(v, "nominee") for v in post.getlist("nomination")],
            "tie": post.get("tie") == "1",
            # Required: without it the service could not tell a stale page from a fresh one.
            "expected_revision": _int(post.get("expected_revision"), "page revision"),
            "editor": request.user,
        }

    def _desk_record(self, request, ceremony):
        category = self._desk_category(ceremony, request.POST)
        category = services.result_record(**self._result_arguments(request, category))
        kind = "tie" if category.is_tie else "winner"
        return f"{category.name}: {_winner_labels(category)} recorded as {kind}.", ""

    def _desk_correct(self, request, ceremony):
        category = self._desk_category(ceremony, request.POST)
        category = services.result_correct(
            **self._result_arguments(request, category), reason=request.POST.get("reason", "")
        )
        return f"{category.name} corrected: now {_winner_labels(category)}.", ""

    def _desk_withdraw(self, request, ceremony):
        category = self._desk_category(ceremony, request.POST)
        category = services.result_withdraw(
            category_id=category.pk,
            expected_revision=_int(request.POST.get("expected_revision"), "page revision"),
            reason=request.POST.get("reason", ""),
            editor=request.user,
        )
        return f"{category.name}: result withdrawn; it is not announced any more.", ""

    def _desk_reorder(self, request, ceremony):
        category = services.category_move(
            category_id=self._desk_category(ceremony, request.POST).pk,
            move=request.POST.get("move", ""),
            editor=request.user,
        )
        return f"{category.name} is now number {category.order}.", f"#category-{category.pk}"

    def _desk_status(self, request, ceremony):
        ceremony = services.ceremony_set_status(
            ceremony_id=ceremony.pk,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
            editor=request.user,
        )
        return f"{ceremony.name} is now {ceremony.get_status_display().lower()}.", ""


class PrecursorLinkInline(admin.TabularInline):
    model = PrecursorLink
    fk_name = "category"
    autocomplete_fields = ["precursor"]
    extra = 0


@admin.register(Category)
class CategoryAdmin(PublishesEdits, admin.ModelAdmin):
    list_display = ["name", "ceremony", "order", "competitive", "announced_at"]
    list_filter = ["ceremony__body", "competitive"]
    search_fields = ["name", "ceremony__name"]
    readonly_fields = ["announced_at", "corrected_at", "recorded_by", "is_tie", "revision"]
    inlines = [PrecursorLinkInline]

    def ceremonies_of(self, obj):
        return [obj.ceremony_id]


@admin.register(Film)
class FilmAdmin(PublishesEdits, admin.ModelAdmin):
    list_display = ["title", "year", "imdb_id"]
    search_fields = ["title", "imdb_id"]

    def ceremonies_of(self, obj):
        return list(
            Ceremony.objects.filter(categories__nominations__films=obj)
            .distinct()
            .values_list("pk", flat=True)
        )


@admin.register(Person)
class PersonAdmin(PublishesEdits, admin.ModelAdmin):
    list_display = ["name", "imdb_id"]
    search_fields = ["name", "imdb_id"]

    def ceremonies_of(self, obj):
        return list(
            Ceremony.objects.filter(categories__nominations__people=obj)
            .distinct()
            .values_list("pk", flat=True)
        )


@admin.register(Nomination)
class NominationAdmin(PublishesEdits, admin.ModelAdmin):
    list_display = ["__str__", "category", "won"]
    list_filter = ["category__ceremony"]
    search_fields = ["nominee", "film_title"]
    autocomplete_fields = ["films", "people"]
    readonly_fields = ["won"]

    def ceremonies_of(self, obj):
        return [obj.category.ceremony_id]


def describe_state(state: dict) -> str:
    """An audit entry's before or after, in words."""
    if not state:
        return "-"
    if "winners" in state:
        labels = [w["label"] for w in state["winners"]]
        if not labels:
            return "not announced"
        return " and ".join(labels) + (" (tie)" if state.get("tie") else "")
    if "status" in state:
        return state["status"]
    if "order" in state:
        names = dict(Category.objects.filter(pk__in=state["order"]).values_list("pk", "name"))
        return ", ".join(
            f"{i}. {names.get(pk, pk)}" for i, pk in enumerate(state["order"], start=1)
        )
    return json.dumps(state, ensure_ascii=False)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Append-only: nobody adds, changes or deletes entries here, superusers included."""

    list_display = [
        "when",
        "editor_name",
        "action",
        "ceremony",
        "category_name",
        "before_text",
        "after_text",
        "reason",
    ]
    list_filter = ["ceremony", "action", "editor_name"]
    list_select_related = ["ceremony", "category"]
    search_fields = ["editor_name", "reason", "category__name"]
    fields = [
        "when",
        "editor_name",
        "action",
        "ceremony",
        "category",
        "version",
        "before_text",
        "after_text",
        "reason",
        "before",
        "after",
    ]
    readonly_fields = fields

    @admin.display(description="time (ceremony's zone)", ordering="created_at")
    def when(self, obj):
        local = timezone.localtime(obj.created_at, zoneinfo.ZoneInfo(obj.ceremony.time_zone))
        return f"{local:%Y-%m-%d %H:%M:%S} {local.tzname()}"

    @admin.display(description="category", ordering="category__name")
    def category_name(self, obj):
        return obj.category.name if obj.category else "-"

    @admin.display(description="before")
    def before_text(self, obj):
        return describe_state(obj.before)

    @admin.display(description="after")
    def after_text(self, obj):
        return describe_state(obj.after)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
