"""Model admin for preparing ceremonies: every save or delete that readers' snapshots show gives
the ceremonies it touches a new version through `services.ceremony_touch`.
"""

from collections.abc import Callable

from django import forms as django_forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from ceremony import services
from ceremony.admin import forms
from ceremony.models import (
    AwardBody,
    Category,
    Ceremony,
    Film,
    FilmAlias,
    Nomination,
    Person,
    PersonAlias,
    PrecursorLink,
)
from ceremony.text import name_key


class CleansFreeText:
    """Text typed in an admin form (a plain CharField or TextField) is cleaned as the importers
    clean a file's: bidi controls removed, whitespace collapsed (`forms.FreeTextField`)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if type(db_field) in (models.CharField, models.TextField) and not db_field.choices:
            kwargs.setdefault("form_class", forms.FreeTextField)
            kwargs.setdefault("what", str(db_field.verbose_name).capitalize())
        return super().formfield_for_dbfield(db_field, request, **kwargs)


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
class AwardBodyAdmin(CleansFreeText, PublishesEdits, admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone"]

    def ceremonies_of(self, obj):
        return list(obj.ceremonies.values_list("pk", flat=True))


class KeyedAliases:
    """Aliases typed in the admin get their matching key, as the importers' do."""

    def save_formset(self, request, form, formset, change):
        for alias in formset.save(commit=False):
            alias.key = name_key(getattr(alias, "title", None) or alias.name)
            alias.save()
        for alias in formset.deleted_objects:
            alias.delete()


class FilmAliasInline(CleansFreeText, admin.TabularInline):
    model = FilmAlias
    fields = ["title"]
    extra = 0
    verbose_name_plural = "also listed as"


class PersonAliasInline(CleansFreeText, admin.TabularInline):
    model = PersonAlias
    fields = ["name"]
    extra = 0
    verbose_name_plural = "also credited as"


def merge_action(model_admin, request, queryset, merge, ids_argument: str):
    """The admin action that makes the selected films or people one: a page to choose the one
    that stays, then the service (audited; every ceremony showing them gets a new version)."""
    if request.POST.get("apply"):
        form = forms.MergeForm(request.POST, queryset=queryset)
        if form.is_valid():
            into = form.cleaned_data["into"]
            others = [obj.pk for obj in queryset if obj.pk != into.pk]
            try:
                merge(into_id=into.pk, editor=request.user, **{ids_argument: others})
            except services.ServiceError as exc:
                model_admin.message_user(request, str(exc), messages.ERROR)
            else:
                model_admin.message_user(request, f"Merged {len(others)} into {into}.")
            return None
    else:
        form = forms.MergeForm(queryset=queryset)
    return TemplateResponse(
        request,
        "admin/ceremony/merge.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "title": f"Merge {queryset.count()} {model_admin.opts.verbose_name_plural}",
            "form": form,
            "queryset": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


def form_page(
    model_admin,
    request,
    *,
    form: django_forms.Form,
    apply: Callable[[dict], str],
    done: str,
    template: str,
    title: str,
    **context,
):
    """An editor's page of one form: a valid POST goes to `apply` (a service call returning the
    line to tell), then back to `done`; a ServiceError stays on the form as one line, nothing
    typed lost. An unbound form is only shown."""
    if form.is_valid():
        try:
            said = apply(form.cleaned_data)
        except services.ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            model_admin.message_user(request, said, messages.SUCCESS)
            return redirect(done)
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "title": title,
            "form": form,
            **context,
        },
    )


class PrecursorLinkInline(CleansFreeText, admin.TabularInline):
    model = PrecursorLink
    fk_name = "category"
    autocomplete_fields = ["precursor"]
    extra = 0


@admin.register(Category)
class CategoryAdmin(CleansFreeText, PublishesEdits, admin.ModelAdmin):
    list_display = ["name", "ceremony", "order", "competitive", "announced_at"]
    list_filter = ["ceremony__body", "competitive"]
    search_fields = ["name", "ceremony__name"]
    readonly_fields = ["announced_at", "corrected_at", "recorded_by", "is_tie", "revision"]
    inlines = [PrecursorLinkInline]

    def ceremonies_of(self, obj):
        return [obj.ceremony_id]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        # A final ceremony's running order is locked, as on the desk (services.category_move).
        if obj is not None and obj.ceremony.status == Ceremony.Status.FINAL:
            return [*fields, "order"]
        return fields


class IdentityAdmin(CleansFreeText, KeyedAliases, PublishesEdits, admin.ModelAdmin):
    """Films and people: the matching key kept from the name, a merge action, and every
    ceremony crediting one republished when it is edited."""

    name_field: str  # "title" or "name"
    credits: str  # the nominations' field of them: "films" or "people"
    merge_service: str  # in `services`, taking `ids_argument`
    ids_argument: str
    actions = ["merge"]

    def save_model(self, request, obj, form, change):
        obj.key = name_key(getattr(obj, self.name_field))
        super().save_model(request, obj, form, change)

    @admin.action(
        description="Merge the selected %(verbose_name_plural)s into one", permissions=["change"]
    )
    def merge(self, request, queryset):
        merge = getattr(services, self.merge_service)
        return merge_action(self, request, queryset, merge, self.ids_argument)

    def ceremonies_of(self, obj):
        credited = {f"categories__nominations__{self.credits}": obj}
        return list(Ceremony.objects.filter(**credited).distinct().values_list("pk", flat=True))


@admin.register(Film)
class FilmAdmin(IdentityAdmin):
    list_display = ["title", "year", "imdb_id"]
    search_fields = ["title", "imdb_id", "aliases__title"]
    inlines = [FilmAliasInline]
    name_field, credits = "title", "films"
    merge_service, ids_argument = "films_merge", "film_ids"


@admin.register(Person)
class PersonAdmin(IdentityAdmin):
    list_display = ["name", "imdb_id"]
    search_fields = ["name", "imdb_id", "aliases__name"]
    inlines = [PersonAliasInline]
    name_field, credits = "name", "people"
    merge_service, ids_argument = "people_merge", "person_ids"
    readonly_fields = ["move_credit"]

    @admin.display(description="Credits")
    def move_credit(self, obj):
        if obj.pk is None:
            return "-"
        url = reverse("admin:ceremony_person_move_credit", args=[obj.pk])
        return format_html('<a href="{}">Move a credit to another person</a>', url)

    def get_urls(self):
        view = self.admin_site.admin_view(self.credit_move_view)
        return [
            path("<int:person_id>/move-credit/", view, name="ceremony_person_move_credit"),
            *super().get_urls(),
        ]

    def credit_move_view(self, request, person_id: int):
        """Take one credit off this person and give it to another (a namesake's nomination
        on the wrong page)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        person = get_object_or_404(Person, pk=person_id)

        def move(data):
            target = services.credit_move(
                nomination_id=data["nomination"].pk,
                person_id=person.pk,
                to_person_id=data["to_person"],
                new_name=data["new_name"],
                editor=request.user,
            )
            return f"{data['nomination']} is now credited to {target}."

        return form_page(
            self,
            request,
            form=forms.CreditMoveForm(request.POST or None, person=person),
            apply=move,
            done=reverse("admin:ceremony_person_change", args=[person.pk]),
            template="admin/ceremony/move_credit.html",
            title=f"Move a credit of {person}",
            person=person,
        )


@admin.register(Nomination)
class NominationAdmin(CleansFreeText, PublishesEdits, admin.ModelAdmin):
    list_display = ["__str__", "category", "won"]
    list_filter = ["category__ceremony"]
    search_fields = ["nominee", "film_title"]
    autocomplete_fields = ["films", "people"]
    readonly_fields = ["won"]

    def ceremonies_of(self, obj):
        return [obj.category.ceremony_id]
