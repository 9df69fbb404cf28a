"""django.forms for every pool POST: each turns a request into typed values or one line of error.
The category fields are made from the ceremony's snapshot (competitive categories only)."""

from django import forms

from ceremony.pools.models import ANSWER_MAX, NAME_MAX, POOL_NAME_MAX, QUESTION_MAX


def first_error(form: forms.Form) -> str:
    """The one line a refused form shows."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else None
        return f"{label}: {errors[0]}" if label else errors[0]
    return ""


def _competitive(snapshot: dict) -> list[dict]:
    return [c for c in snapshot["categories"] if c["competitive"]]


def nominee_label(n: dict) -> str:
    who = n.get("nominee") or ""
    return f"{who} · {n['film']}" if who and who != n["film"] else n["film"]


class PoolForm(forms.Form):
    name = forms.CharField(label="Pool name", max_length=POOL_NAME_MAX)
    tiebreak_question = forms.CharField(
        label="Tiebreak question (optional, a number for an answer)",
        max_length=QUESTION_MAX,
        required=False,
        help_text="For example: how many awards does the most awarded film win?",
    )

    def __init__(self, *args, snapshot: dict, modes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = {"points": "Points per category (set below)", "odds": "By the forecast's odds"}
        self.fields["scoring"] = forms.ChoiceField(
            label="Scoring", choices=[(m, labels.get(m, m)) for m in modes], initial=modes[0]
        )
        self.categories = _competitive(snapshot)
        for cat in self.categories:
            self.fields[f"points-{cat['slug']}"] = forms.IntegerField(
                label=cat["name"], min_value=0, max_value=100, initial=1
            )

    def points(self) -> dict[str, int]:
        return {c["slug"]: self.cleaned_data[f"points-{c['slug']}"] for c in self.categories}


class JoinForm(forms.Form):
    name = forms.CharField(label="Your display name", max_length=NAME_MAX)
    # The picks of this browser's ballot (static/ceremony/ballot.js), as its share links write
    # them: nomination ids in base 36, dot-separated. Filled by pool.js when asked.
    carried = forms.RegexField(
        regex=r"^[0-9a-z.]{0,2000}$", required=False, widget=forms.HiddenInput
    )

    def carried_ids(self) -> list[int]:
        return [int(part, 36) for part in self.cleaned_data["carried"].split(".") if part]


def carried_picks(ids: list[int], snapshot: dict) -> dict[str, int]:
    """The picks a carried ballot makes: each id in its own category (the first one wins);
    ids of no competitive category are left out."""
    category_of = {n["id"]: c["slug"] for c in _competitive(snapshot) for n in c["nominations"]}
    picks: dict[str, int] = {}
    for nomination_id in ids:
        slug = category_of.get(nomination_id)
        if slug and slug not in picks:
            picks[slug] = nomination_id
    return picks


class BallotForm(forms.Form):
    tiebreak = forms.IntegerField(
        label="Tiebreak answer", min_value=0, max_value=ANSWER_MAX, required=False
    )

    def __init__(self, *args, snapshot: dict, question: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = _competitive(snapshot)
        if question:
            self.fields["tiebreak"].label = question
        else:
            del self.fields["tiebreak"]
        for cat in self.categories:
            self.fields[f"pick-{cat['slug']}"] = forms.TypedChoiceField(
                label=cat["name"],
                choices=[("", "No pick")]
                + [(str(n["id"]), nominee_label(n)) for n in cat["nominations"]],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )

    def picks(self) -> dict[str, int]:
        return {
            c["slug"]: self.cleaned_data[f"pick-{c['slug']}"]
            for c in self.categories
            if self.cleaned_data.get(f"pick-{c['slug']}") is not None
        }


class AnswerForm(forms.Form):
    answer = forms.IntegerField(
        label="The tiebreak's answer", min_value=0, max_value=ANSWER_MAX, required=False
    )


class RemoveForm(forms.Form):
    member = forms.IntegerField(min_value=1, max_value=2**62)
