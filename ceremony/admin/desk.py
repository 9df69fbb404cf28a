"""The live desk: the views of `CeremonyAdmin` editors use on the night.

Every write it makes is a call to `ceremony.services`, which validates, checks the editor's
`expected_revision` and audits; the desk only turns a POST (checked by `forms`) into arguments
and the service's verdict into a message.
"""

from collections.abc import Callable

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from ceremony import scoreboard, services
from ceremony.admin import forms
from ceremony.admin.models import CleansFreeText, PublishesEdits
from ceremony.models import Category, Ceremony, Nomination
from ceremony.realtime import snapshots

DESK_PERMISSION = "ceremony.use_live_desk"

# What the desk offers for each status change it allows; reopening a final ceremony asks a reason.
STATUS_ACTIONS = {
    (Ceremony.Status.DRAFT, Ceremony.Status.LIVE): "Go live",
    (Ceremony.Status.LIVE, Ceremony.Status.FINAL): "Mark final (locks results)",
    (Ceremony.Status.LIVE, Ceremony.Status.DRAFT): "Back to draft",
    (Ceremony.Status.FINAL, Ceremony.Status.LIVE): "Reopen",
}


# Said before the status changes that take the desk out of live: what they do, and what is open.
STATUS_CONFIRMATIONS = {
    Ceremony.Status.FINAL: (
        "Mark final locks the results: nobody can record, correct or withdraw a result until "
        "an editor reopens it with a reason. {open_text}"
    ),
    Ceremony.Status.DRAFT: (
        "Back to draft takes the ceremony off live: nothing can be recorded until it goes live "
        "again, and readers see it as not started. {open_text}"
    ),
}

DRAFT_KEY = "desk_draft"


def _open_text(open_count: int, total: int) -> str:
    if open_count == 0:
        return f"All {total} categories are announced."
    verb = "is" if open_count == 1 else "are"
    return f"{open_count} of {total} categories {verb} still not announced."


def _with_note(message: str, category: Category) -> str:
    return f"{message} Note: \u201c{category.note}\u201d" if category.note else message


def _draft(action: str, post) -> dict:
    """What a refused form held, to give back as it was filled, in the form it was filled in
    (as text only; it is checked again when sent again). Its `form` names that form: the
    action, "-tie" for the tie forms."""
    return {
        "category": forms.parse_id(post.get("category", "")),
        "form": action + ("-tie" if post.get("tie") == "1" else ""),
        "nominations": [
            i for i in map(forms.parse_id, post.getlist("nomination")) if i is not None
        ],
        "note": post.get("note", "")[:1000],
        "reason": post.get("reason", "")[:1000],
    }


def _winner_labels(category: Category) -> str:
    labels = [str(n) for n in category.nominations.filter(won=True).order_by("order", "pk")]
    return " and ".join(labels) or "nothing"


def _label(nomination: Nomination, shown: dict | None) -> str:
    """A nominee as the desk lists it: its credit as readers see it, then its film."""
    nominee = shown["nominee"] if shown else nomination.nominee
    if nominee and nomination.film_title:
        return f"{nominee} ({nomination.film_title})"
    return nominee or str(nomination)


@admin.register(Ceremony)
class CeremonyAdmin(CleansFreeText, PublishesEdits, admin.ModelAdmin):
    list_display = ["name", "body", "held", "status", "version", "desk_link"]
    list_filter = ["body", "status"]
    search_fields = ["name"]
    # Status and version change only through the live desk's services.
    readonly_fields = ["status", "version", "updated_at"]

    def ceremonies_of(self, obj):
        return [obj.pk]

    @admin.display(description="Held", ordering="date")
    def held(self, obj):
        # The year alone where the day stored is a placeholder (docs/archive.md, "Dates").
        return obj.date if obj.date_exact else obj.date.year

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

    def _desk_page(self, request: HttpRequest, template: str, **context) -> TemplateResponse:
        """A desk page: the admin's context, and which ceremony the home page features."""
        featured, featured_why = Ceremony.objects.featured()
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "featured": featured,
                "featured_why": featured_why,
                **context,
            },
        )

    def desk_index_view(self, request: HttpRequest):
        self._require_desk_permission(request)
        ceremonies = Ceremony.objects.select_related("body").order_by("-date", "-edition")
        # Live ceremonies first: on the night, the one the editor wants is at the top.
        ceremonies = sorted(ceremonies, key=lambda c: not c.is_live)
        return self._desk_page(
            request, "admin/ceremony/desk_index.html", title="Live desk", ceremonies=ceremonies
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
        # Suggested notes come from the snapshot readers get, nothing else.
        snapshot = snapshots.current_snapshot(ceremony).data
        # What a refused form held, given back rather than lost (one form, once).
        draft = request.session.pop(DRAFT_KEY, None) or {}
        # Each credit as the readers' pages give it (the people's own spelling).
        credits = {n["id"]: n for c in snapshot["categories"] for n in c["nominations"]}
        next_category = None
        for category in categories:
            category.desk_winners = [n for n in category.nominations.all() if n.won]
            for n in category.nominations.all():
                n.desk_suggestion = scoreboard.note_suggestion(snapshot, category.slug, n.pk)
                n.desk_label = _label(n, credits.get(n.pk))
            category.desk_suggestion = next((n.desk_suggestion for n in category.desk_winners), "")
            category.desk_draft = draft if draft.get("category") == category.pk else {}
            if next_category is None and not category.desk_winners:
                next_category = category
        competitive = [c for c in categories if c.competitive]
        announced = sum(bool(c.desk_winners) for c in competitive)
        open_text = _open_text(len(competitive) - announced, len(competitive))
        has_results = any(c.desk_winners for c in categories)
        status_actions = [
            {
                "status": target,
                "label": label,
                "needs_reason": source == Ceremony.Status.FINAL,
                # A refused reopening comes back with its reason (the only status form with one).
                "refused": draft.get("form") == "status" and source == Ceremony.Status.FINAL,
                "reason": draft.get("reason", ""),
                "confirm": STATUS_CONFIRMATIONS.get(target, "").format(open_text=open_text)
                if source == Ceremony.Status.LIVE
                else "",
            }
            for (source, target), label in STATUS_ACTIONS.items()
            # With results, going back to draft is refused: do not offer it.
            if source == ceremony.status and not (target == Ceremony.Status.DRAFT and has_results)
        ]
        return self._desk_page(
            request,
            "admin/ceremony/desk.html",
            title=f"Live desk: {ceremony.name}",
            ceremony=ceremony,
            version=version,
            categories=categories,
            next_category=next_category,
            announced=announced,
            competitive=len(competitive),
            open_text=open_text,
            status_actions=status_actions,
            note_limit=services.NOTE_LIMIT,
            reason_limit=services.REASON_LIMIT,
            # A final ceremony's running order is locked (the service refuses a move).
            can_reorder=ceremony.status != Ceremony.Status.FINAL,
            socket_path=f"/ws/ceremonies/{ceremony.slug}/",
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
            request.session[DRAFT_KEY] = _draft(action, request.POST)
            category_id = request.session[DRAFT_KEY]["category"]
            anchor = f"#category-{category_id}" if category_id is not None else ""
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
            "note": self._desk_note,
            "pin": self._desk_pin,
        }

    @staticmethod
    def _desk_category(ceremony: Ceremony, category_id: int) -> Category:
        category = Category.objects.filter(pk=category_id, ceremony=ceremony).first()
        if category is None:
            raise services.ServiceError(
                f"There is no category with id {category_id} in {ceremony.name}."
            )
        return category

    def _category_arguments(self, request: HttpRequest, ceremony: Ceremony, form_class) -> dict:
        """A category form's values as the service's arguments: the category (one of this
        ceremony's), the editor, and the form's other fields by name."""
        data = dict(forms.cleaned(form_class, request.POST))
        category = self._desk_category(ceremony, data.pop("category"))
        return {"category_id": category.pk, "editor": request.user, **data}

    def _result_arguments(self, request: HttpRequest, ceremony: Ceremony) -> dict:
        arguments = self._category_arguments(request, ceremony, forms.ResultForm)
        arguments["nomination_ids"] = arguments.pop("nomination")
        return arguments

    def _desk_record(self, request, ceremony):
        arguments = self._result_arguments(request, ceremony)
        del arguments["reason"]  # Only a correction takes one.
        category = services.result_record(**arguments)
        kind = "tie" if category.is_tie else "winner"
        return _with_note(
            f"{category.name}: {_winner_labels(category)} recorded as {kind}.", category
        ), ""

    def _desk_correct(self, request, ceremony):
        category = services.result_correct(**self._result_arguments(request, ceremony))
        return _with_note(
            f"{category.name} corrected: now {_winner_labels(category)}.", category
        ), f"#category-{category.pk}"

    def _desk_note(self, request, ceremony):
        category = services.result_note(
            **self._category_arguments(request, ceremony, forms.NoteForm)
        )
        message = (
            f"{category.name}: note saved: \u201c{category.note}\u201d"
            if category.note
            else f"{category.name}: note removed."
        )
        return message, f"#category-{category.pk}"

    def _desk_pin(self, request, ceremony):
        data = forms.cleaned(forms.PinForm, request.POST)
        pinned = services.ceremony_pin(
            ceremony_id=ceremony.pk if data["pin"] else None, editor=request.user
        )
        if pinned:
            return f"The home page now features {pinned.name}, whatever its status.", ""
        featured, why = Ceremony.objects.featured()
        name = featured.name if featured else "nothing"
        return f"Nothing is pinned: the home page chooses by itself ({name}, {why}).", ""

    def _desk_withdraw(self, request, ceremony):
        category = services.result_withdraw(
            **self._category_arguments(request, ceremony, forms.WithdrawForm)
        )
        return (
            f"{category.name}: result withdrawn; it is not announced any more.",
            f"#category-{category.pk}",
        )

    def _desk_reorder(self, request, ceremony):
        category = services.category_move(
            **self._category_arguments(request, ceremony, forms.MoveForm)
        )
        return f"{category.name} is now number {category.order}.", f"#category-{category.pk}"

    def _desk_status(self, request, ceremony):
        data = forms.cleaned(forms.StatusForm, request.POST)
        ceremony = services.ceremony_set_status(
            ceremony_id=ceremony.pk,
            status=data["status"],
            reason=data["reason"],
            editor=request.user,
        )
        return f"{ceremony.name} is now {ceremony.get_status_display().lower()}.", ""
