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
        return describe_winners(state, empty="not announced")
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
