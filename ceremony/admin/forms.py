"""The desk's POSTs, checked with django.forms before any service is called. A bad value (a
tampered or stale page) is reported as one line the editor can act on; a refusal of the write
itself comes from the service. Text an editor types, here or in any admin form, is cleaned by the
importers' own rule (`FreeTextField`)."""

from django import forms
from django.core.exceptions import ValidationError

from ceremony.importers.cells import clean
from ceremony.services import NOTE_LIMIT, REASON_LIMIT, ServiceError
from ceremony.text import parse_number

# Ids and revisions are never negative, and past 64 bits some databases overflow.
ID_LIMIT = 2**63 - 1


def _invalid(what: str, value) -> ValidationError:
    sent = repr(value)
    if len(sent) > 40:
        sent = f"{sent[:30]}… ({len(str(value))} characters)"
    return ValidationError(f"The {what} sent ({sent}) is not valid; reload the desk and try again.")


def parse_id(value) -> int | None:
    """A posted id as the desk sent it (ASCII digits, within ID_LIMIT), or None."""
    number = parse_number(value.strip(), max_digits=19) if isinstance(value, str) else None
    return number if number is not None and number <= ID_LIMIT else None


class IdField(forms.IntegerField):
    """A database id or revision sent back by the desk page."""

    def __init__(self, what: str, **kwargs):
        super().__init__(min_value=0, max_value=ID_LIMIT, **kwargs)
        self.what = what

    def clean(self, value):
        if isinstance(value, str) and value.strip() and parse_id(value) is None:
            raise _invalid(self.what, value)
        try:
            return super().clean(value)
        except ValidationError:
            raise _invalid(self.what, value) from None


class WordField(forms.CharField):
    """A word the desk page sends (a move, a status): the service says which are known; one
    longer than any of them is refused here, shortened in the message."""

    def __init__(self, what: str, **kwargs):
        super().__init__(required=False, max_length=20, **kwargs)
        self.what = what

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError:
            raise _invalid(self.what, value) from None


class FreeTextField(forms.CharField):
    """Text an editor types, cleaned as the importers clean a file's (`cells.clean`: bidi
    controls removed, whitespace collapsed, control characters refused)."""

    def __init__(self, *, what: str = "This text", **kwargs):
        kwargs.setdefault(
            "error_messages",
            {
                "max_length": f"{what} is %(show_value)d characters long; keep it to "
                "%(limit_value)d. Nothing was saved."
            },
        )
        super().__init__(**kwargs)
        self.what = what

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value  # "" or, for a nullable field, None
        try:
            return clean(value)
        except ValueError as problem:
            raise ValidationError(f"{self.what} {problem}.") from None


class IdListField(forms.Field):
    """Several ids under one name (the nominees ticked); none is allowed here, the service says
    what is missing."""

    widget = forms.MultipleHiddenInput

    def __init__(self, what: str, **kwargs):
        super().__init__(required=False, **kwargs)
        self.item = IdField(what)

    def clean(self, value):
        return [self.item.clean(v) for v in value or []]


class CategoryForm(forms.Form):
    category = IdField("category")


class ResultForm(CategoryForm):
    nomination = IdListField("nominee")
    tie = forms.CharField(required=False)
    # Required: without it the service could not tell a stale page from a fresh one.
    expected_revision = IdField("page revision")
    reason = FreeTextField(what="The reason", required=False, max_length=REASON_LIMIT)
    note = FreeTextField(what="The note", required=False, max_length=NOTE_LIMIT)

    def clean_tie(self) -> bool:
        return self.cleaned_data["tie"] == "1"


class WithdrawForm(CategoryForm):
    expected_revision = IdField("page revision")
    reason = FreeTextField(what="The reason", required=False, max_length=REASON_LIMIT)


class NoteForm(CategoryForm):
    expected_revision = IdField("page revision")
    note = FreeTextField(what="The note", required=False, max_length=NOTE_LIMIT)


class PinForm(forms.Form):
    pin = forms.TypedChoiceField(
        choices=[("1", "pin"), ("0", "unpin")],
        coerce=lambda value: value == "1",
        error_messages={
            "invalid_choice": "Pin (1) or unpin (0) only; reload the desk and try again."
        },
    )


class MoveForm(CategoryForm):
    move = WordField("move")


class StatusForm(forms.Form):
    status = WordField("status")
    reason = FreeTextField(what="The reason", required=False, max_length=REASON_LIMIT)


def cleaned(form_class: type[forms.Form], data) -> dict:
    """The form's values, or a ServiceError naming the first field that is wrong."""
    form = form_class(data)
    if not form.is_valid():
        first = next(iter(form.errors.values()))
        raise ServiceError(first[0])
    return form.cleaned_data


class MergeForm(forms.Form):
    """Which of the selected films or people stays (the others become its aliases)."""

    into = forms.ModelChoiceField(queryset=None, widget=forms.RadioSelect, empty_label=None)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = queryset
        self.fields["into"].label = "Keep"


class CreditMoveForm(forms.Form):
    nomination = forms.ModelChoiceField(queryset=None, empty_label=None, label="Credit")
    to_person = IdField("person", required=False, label="To the person with id")
    new_name = FreeTextField(
        what="The new name", required=False, max_length=300, label="Or to a new person named"
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = person.nominations.select_related(
            "category__ceremony"
        ).order_by("category__ceremony__date")
        self.fields["nomination"].label_from_instance = lambda n: (
            f"{n.category.ceremony}: {n.category.name}: {n}"
        )

    def clean(self):
        data = super().clean()
        if data.get("to_person") is None and not (data.get("new_name") or "").strip():
            raise ValidationError("Give the id of the person the credit belongs to, or a name.")
        return data
