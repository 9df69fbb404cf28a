from django.contrib import admin

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


@admin.register(AwardBody)
class AwardBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone"]


@admin.register(Ceremony)
class CeremonyAdmin(admin.ModelAdmin):
    list_display = ["name", "body", "date", "status", "version"]
    list_filter = ["body", "status"]
    search_fields = ["name"]
    # Status and version change only through the live desk's services.
    readonly_fields = ["status", "version", "updated_at"]


class PrecursorLinkInline(admin.TabularInline):
    model = PrecursorLink
    fk_name = "category"
    autocomplete_fields = ["precursor"]
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "ceremony", "order", "competitive", "announced_at"]
    list_filter = ["ceremony__body", "competitive"]
    search_fields = ["name", "ceremony__name"]
    readonly_fields = ["announced_at", "corrected_at", "recorded_by", "is_tie", "revision"]
    inlines = [PrecursorLinkInline]


@admin.register(Film)
class FilmAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "imdb_id"]
    search_fields = ["title", "imdb_id"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "imdb_id"]
    search_fields = ["name", "imdb_id"]


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "category", "won"]
    list_filter = ["category__ceremony"]
    search_fields = ["nominee", "film_title"]
    autocomplete_fields = ["films", "people"]
    readonly_fields = ["won"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "ceremony", "category", "action", "editor_name", "version"]
    list_filter = ["ceremony", "action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
