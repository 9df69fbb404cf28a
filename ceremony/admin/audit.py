"""The audit log in the admin: append-only, read by everyone with access, changed by nobody."""

import json
import zoneinfo

from django.contrib import admin
from django.utils import timezone

from ceremony.models import AuditEntry, Category
from ceremony.text import describe_winners


def describe_state(state: dict) -> str:
    """An audit entry's before or after, in words."""
    if not state:
        return "-"
    if "winners" in state:
        text = describe_winners(state, empty="not announced")
        return f"{text}; note: \u201c{state['note']}\u201d" if state.get("note") else text
    if "note" in state:
        return f"\u201c{state['note']}\u201d" if state["note"] else "no note"
    if "status" in state:
        text = state["status"]
        return f"{text} (rehearsal of {state['rehearsal_of']})" if "rehearsal_of" in state else text
    if "pinned" in state:
        return "pinned to the home page" if state["pinned"] else "not pinned"
    if "order" in state:
        names = dict(Category.objects.filter(pk__in=state["order"]).values_list("pk", "name"))
        return ", ".join(
            f"{i}. {names.get(pk, pk)}" for i, pk in enumerate(state["order"], start=1)
        )
    if "change" in state:
        return state["change"]
    return json.dumps(state, ensure_ascii=False)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Append-only: nobody adds, changes or deletes entries here, superusers included."""

    # A timeline of the night: when, who, what, and the change in one line ("before -> after"),
    # so the whole entry fits a 1366 px screen; an entry's page says it once, in words.
    list_display = ["when", "editor_name", "what", "change", "reason"]
    list_display_links = ["when"]
    list_filter = ["ceremony", "action", "editor_name"]
    list_select_related = ["ceremony", "category"]
    search_fields = ["editor_name", "reason", "category__name"]
    list_per_page = 50
    fields = [
        "when",
        "editor_name",
        "what",
        "ceremony",
        "version",
        "before_text",
        "after_text",
        "reason",
    ]
    readonly_fields = fields

    class Media:
        css = {"all": ["ceremony/audit.css"]}

    @admin.display(description="what", ordering="action")
    def what(self, obj):
        where = obj.category.name if obj.category else obj.ceremony.name
        return f"{obj.get_action_display()}: {where}"

    @admin.display(description="change")
    def change(self, obj):
        before, after = describe_state(obj.before), describe_state(obj.after)
        return after if before == "-" else f"{before} \u2192 {after}"

    @admin.display(description="time (ceremony's zone)", ordering="created_at")
    def when(self, obj):
        local = timezone.localtime(obj.created_at, zoneinfo.ZoneInfo(obj.ceremony.time_zone))
        return f"{local:%Y-%m-%d %H:%M:%S} {local.tzname()}"

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
