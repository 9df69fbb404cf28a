"""The editors' pages for two sources of one fact: each disagreement an import found (a winner,
a nominee, a category) with both sources side by side, and the near misses the identity joins
left, each settled by an editor with a reason (audited); and the precursor rows whose performer
the files cannot tell (two Oscar nominees of one film), settled the same way.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from ceremony import services
from ceremony.models import Disagreement, Nomination


class SettleForm(forms.Form):
    verdict = forms.ChoiceField(
        choices=Disagreement.Verdict.choices, widget=forms.RadioSelect, label="Decision"
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="The source you checked; the audit log keeps it.",
    )


class PerformerForm(forms.Form):
    oscar_nomination = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect, label="Who")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="The source you checked (the body's own list of winners, say).",
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oscar_nomination"].choices = [
            (n.pk, f"{n.nominee or n.film_title} — {n.category.name}, {n.category.ceremony}")
            for n in choices
        ]


class SettledFilter(admin.SimpleListFilter):
    title = "settled"
    parameter_name = "settled"

    def lookups(self, request, model_admin):
        return [("no", "Open"), ("yes", "Settled")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.open()
        if self.value() == "yes":
            return queryset.settled()
        return queryset


@admin.register(Disagreement)
class DisagreementAdmin(admin.ModelAdmin):
    """The list of disagreements, both sources side by side; "settle" opens one."""

    list_display = ["kind", "ceremony", "archive_side", "other_side", "status"]
    list_filter = [SettledFilter, "kind", "ceremony__body"]
    list_select_related = ["ceremony"]
    search_fields = ["archive_says", "other_says", "ceremony__name"]
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="The archive says")
    def archive_side(self, obj):
        return format_html("<small>{}</small><br>{}", obj.archive_source, obj.archive_says)

    @admin.display(description="The other source says")
    def other_side(self, obj):
        return format_html("<small>{}</small><br>{}", obj.other_source, obj.other_says)

    @admin.display(description="Settled")
    def status(self, obj):
        if obj.is_settled:
            return format_html(
                "{} by {}<br><small>{}</small>",
                obj.get_verdict_display(),
                obj.settled_by,
                obj.reason,
            )
        url = reverse("admin:ceremony_disagreement_change", args=[obj.pk])
        return format_html('<a href="{}">Settle</a>', url)

    def get_urls(self):
        return [
            path(
                "performers/",
                self.admin_site.admin_view(self.performers_view),
                name="ceremony_disagreement_performers",
            ),
            path(
                "performers/<int:nomination_id>/",
                self.admin_site.admin_view(self.performer_view),
                name="ceremony_disagreement_performer",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "performers_open": Nomination.objects.filter(performer_unknown=True).count(),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        disagreement = get_object_or_404(
            Disagreement.objects.select_related("ceremony", "category"), pk=object_id
        )
        if not self.has_view_permission(request, disagreement):
            raise PermissionDenied
        form = SettleForm(request.POST or None)
        if request.method == "POST" and not disagreement.is_settled:
            if not self.has_change_permission(request, disagreement):
                raise PermissionDenied
            if form.is_valid():
                try:
                    services.disagreement_settle(
                        disagreement_id=disagreement.pk,
                        verdict=form.cleaned_data["verdict"],
                        reason=form.cleaned_data["reason"],
                        editor=request.user,
                    )
                except services.ServiceError as exc:
                    form.add_error(None, str(exc))
                else:
                    self.message_user(request, f"Settled: {disagreement}.", messages.SUCCESS)
                    return redirect("admin:ceremony_disagreement_changelist")
        return TemplateResponse(
            request,
            "admin/ceremony/settle_disagreement.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": f"Settle: {disagreement.get_kind_display().lower()}",
                "disagreement": disagreement,
                "form": form,
            },
        )

    def performers_view(self, request):
        if not request.user.has_perm("ceremony.change_disagreement"):
            raise PermissionDenied
        rows = (
            Nomination.objects.filter(performer_unknown=True)
            .select_related("category__ceremony")
            .order_by("-category__ceremony__date", "category__order", "order")
        )
        return TemplateResponse(
            request,
            "admin/ceremony/performers.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Precursor winners the files cannot tell",
                "rows": rows,
            },
        )

    def performer_view(self, request, nomination_id):
        if not request.user.has_perm("ceremony.change_disagreement"):
            raise PermissionDenied
        nomination = get_object_or_404(
            Nomination.objects.select_related("category__ceremony"), pk=nomination_id
        )
        choices = services.performer_choices(nomination)
        form = PerformerForm(request.POST or None, choices=choices)
        if request.method == "POST" and form.is_valid():
            try:
                services.performer_settle(
                    nomination_id=nomination.pk,
                    oscar_nomination_id=form.cleaned_data["oscar_nomination"],
                    reason=form.cleaned_data["reason"],
                    editor=request.user,
                )
            except services.ServiceError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(request, f"Settled: {nomination}.", messages.SUCCESS)
                return redirect("admin:ceremony_disagreement_performers")
        return TemplateResponse(
            request,
            "admin/ceremony/settle_performer.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Who won it?",
                "nomination": nomination,
                "films": format_html_join(", ", "{}", ((f.title,) for f in nomination.films.all())),
                "form": form,
            },
        )
