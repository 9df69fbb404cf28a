"""Model admin for preparing ceremonies: every save or delete that readers' snapshots show gives
the ceremonies it touches a new version through `services.ceremony_touch`.
"""

from django.contrib import admin

from ceremony import services
from ceremony.models import AwardBody, Category, Ceremony, Film, Nomination, Person, PrecursorLink


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
