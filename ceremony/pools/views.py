"""The pools' pages: create, the pool page (standings, server-rendered and then kept live by
static/pools/pool.js), join, a player's ballot, the host's manage page and the CSV export.
Writes go through ceremony/pools/services.py; refusals are one line, never a 500."""

import csv

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ceremony.models import Ceremony
from ceremony.pools import board, scoring, services, throttle, tokens
from ceremony.pools.forms import (
    AnswerForm,
    BallotForm,
    JoinForm,
    PoolForm,
    RemoveForm,
    carried_picks,
    first_error,
    nominee_label,
)
from ceremony.pools.models import Member, Pool, ballots_locked
from ceremony.realtime.snapshots import current_snapshot_of

# Rows of the standings on the page (and in pool.js); the viewer's own row is added below them.
TOP = 100
# The names shown under an upset; the count says how many more.
CALLERS_SHOWN = 10
COOKIE_AGE = 90 * 24 * 3600


def _refuse(request, message: str, status: int, pool: Pool | None = None):
    return render(request, "pools/refused.html", {"message": message, "pool": pool}, status=status)


def _pool(request, code: str) -> Pool:
    """The pool of a code, or 404; misses are counted per address (codes cannot be walked)."""
    if message := throttle.blocked("lookup", request):
        raise _Refused(message, 429)
    code = tokens.normal_code(code)
    pool = board.pool_by_code(code) if len(code) == tokens.CODE_LENGTH else None
    if pool is None:
        throttle.refused("lookup", request)
        raise Http404("No pool has that code.")
    return pool


class _Refused(Exception):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def _refusals(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _Refused as refusal:
            return _refuse(request, str(refusal), refusal.status)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _cookie(pool: Pool) -> str:
    return f"pool-{pool.code}"


def _me(request, pool: Pool) -> Member | None:
    """The member whose secret this browser holds (a cookie for this pool's paths only)."""
    member_id, _, secret = request.COOKIES.get(_cookie(pool), "").partition(".")
    if not (member_id.isdigit() and len(member_id) <= 18 and secret):
        return None
    member = Member.objects.filter(pool=pool, pk=int(member_id)).first()
    return member if member and tokens.matches(secret, member.secret_digest) else None


def _keep_secret(response, pool: Pool, member: Member, secret: str) -> None:
    response.set_cookie(
        _cookie(pool),
        f"{member.pk}.{secret}",
        max_age=COOKIE_AGE,
        path=reverse("pools:detail", args=[pool.code]),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _is_host(pool: Pool, secret: str) -> bool:
    return tokens.matches(secret, pool.manage_digest)


@require_safe
def find(request):
    """/pools/?code=...: the join box's target."""
    code = tokens.normal_code(request.GET.get("code", ""))
    if not code:
        return render(request, "pools/find.html", {})
    return redirect("pools:detail", code=code[:20])


@require_http_methods(["GET", "HEAD", "POST"])
def create(request, slug):
    ceremony = get_object_or_404(Ceremony.objects.real(), slug=slug)
    snap = current_snapshot_of(ceremony.pk).data
    modes = scoring.offered_modes(snap)
    form = PoolForm(request.POST if request.method == "POST" else None, snapshot=snap, modes=modes)
    context = {"ceremony": ceremony, "form": form, "locked": ballots_locked(ceremony)}
    if request.method != "POST":
        return render(request, "pools/create.html", context)
    if message := throttle.refused("create", request):
        return _refuse(request, message, 429)
    if not form.is_valid():
        context["error"] = first_error(form)
        return render(request, "pools/create.html", context, status=400)
    try:
        created = services.pool_create(
            ceremony_id=ceremony.pk,
            name=form.cleaned_data["name"],
            scoring_mode=form.cleaned_data["scoring"],
            points=form.points(),
            tiebreak_question=form.cleaned_data["tiebreak_question"],
        )
    except services.PoolError as exc:
        context["error"] = str(exc)
        return render(request, "pools/create.html", context, status=400)
    url = reverse("pools:manage", args=[created.pool.code, created.manage_secret])
    return redirect(f"{url}?new=1")


def _labels(cat: dict) -> dict[int, str]:
    return {n["id"]: nominee_label(n) for n in cat["nominations"]}


def _categories(snap: dict, table: dict, names: dict[int, str]) -> list[dict]:
    """Per competitive category: its result, the most popular pick and who called the upset."""
    by_slug = {c["slug"]: c for c in table["categories"]}
    rows = []
    for cat in snap["categories"]:
        if not cat["competitive"]:
            continue
        labels, summary = _labels(cat), by_slug[cat["slug"]]
        callers = [names[i] for i in summary["callers"] if i in names]
        rows.append(
            {
                "slug": cat["slug"],
                "name": cat["name"],
                "winners": [w["headline"] or w["label"] for w in cat["winners"]],
                "withdrawn": not cat["winners"] and bool(cat["corrected_at"]),
                "upset": bool(cat["winners"]) and cat["precursor"]["status"] == "upset",
                "popular": [labels[i] for i in summary["popular"]],
                "count": summary["count"],
                "picked": summary["picked"],
                "callers": callers[:CALLERS_SHOWN],
                "more_callers": max(0, len(callers) - CALLERS_SHOWN),
            }
        )
    return rows


@_refusals
@require_safe
def detail(request, code):
    pool = _pool(request, code)
    if tokens.normal_code(code) != code:
        return redirect("pools:detail", code=pool.code)
    snap = current_snapshot_of(pool.ceremony_id)
    me = _me(request, pool)
    locked = pool.is_locked
    context = {
        "pool": pool,
        "ceremony": pool.ceremony,
        "snapshot": snap.data,
        "snapshot_json": snap.script_json,
        "me": me,
        "locked": locked,
        "top": TOP,
        "join": JoinForm(),
    }
    if locked:
        table = board.standings(pool, snap)
        names = {row["id"]: row["name"] for row in table["rows"]}
        rows = table["rows"][:TOP]
        mine = next((r for r in table["rows"][TOP:] if me and r["id"] == me.pk), None)
        picks = {m["id"]: m["picks"] for m in board.members(pool)} if rows else {}
        labels = {c["slug"]: _labels(c) for c in snap.data["categories"] if c["competitive"]}
        for row in [*rows, *([mine] if mine else [])]:
            row["picked"] = [
                (cat["name"], labels[cat["slug"]].get(picks.get(row["id"], {}).get(cat["slug"])))
                for cat in snap.data["categories"]
                if cat["competitive"]
            ]
        context.update(
            table=table,
            rows=rows,
            mine=mine,
            more=max(0, len(table["rows"]) - TOP),
            categories=_categories(snap.data, table, names),
        )
    else:
        context["members"] = list(pool.members.in_order().values_list("name", flat=True))
    return render(request, "pools/detail.html", context)


@_refusals
@require_safe
def picks(request, code):
    pool = _pool(request, code)
    text = board.picks_text(pool)
    etag = f'"p{pool.version}-{int(pool.is_locked)}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(text, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


@_refusals
@require_POST
def join(request, code):
    pool = _pool(request, code)
    if message := throttle.refused("join", request):
        return _refuse(request, message, 429, pool)
    form = JoinForm(request.POST)
    if not form.is_valid():
        return _refuse(request, first_error(form), 400, pool)
    snap = current_snapshot_of(pool.ceremony_id).data
    try:
        joined = services.member_join(
            pool_id=pool.pk,
            name=form.cleaned_data["name"],
            picks=carried_picks(form.carried_ids(), snap),
        )
    except services.Locked as exc:
        return _refuse(request, str(exc), 403, pool)
    except services.PoolError as exc:
        return _refuse(request, str(exc), 400, pool)
    response = redirect("pools:ballot", code=pool.code)
    _keep_secret(response, pool, joined.member, joined.secret)
    return response


@_refusals
@require_http_methods(["GET", "HEAD", "POST"])
def ballot(request, code):
    pool = _pool(request, code)
    me = _me(request, pool)
    if me is None:
        if request.method == "POST":
            return _refuse(request, "This browser holds no ballot in this pool.", 403, pool)
        return redirect("pools:detail", code=pool.code)
    snap = current_snapshot_of(pool.ceremony_id).data
    initial = {f"pick-{slug}": str(pick) for slug, pick in me.picks.items()}
    initial["tiebreak"] = me.tiebreak
    form = BallotForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        snapshot=snap,
        question=pool.tiebreak_question,
    )
    context = {"pool": pool, "me": me, "form": form, "locked": pool.is_locked}
    if request.method == "POST":
        if message := throttle.refused("save", request):
            return _refuse(request, message, 429, pool)
        if context["locked"]:
            # Said before the form is read; the service refuses it anyway, inside its transaction.
            return _refuse(request, services.LOCKED, 403, pool)
        if not form.is_valid():
            context["error"] = first_error(form)
            return render(request, "pools/ballot.html", context, status=400)
        try:
            services.ballot_save(
                member_id=me.pk, picks=form.picks(), tiebreak=form.cleaned_data.get("tiebreak")
            )
        except services.Locked as exc:
            return _refuse(request, str(exc), 403, pool)
        except services.PoolError as exc:
            context["error"] = str(exc)
            return render(request, "pools/ballot.html", context, status=400)
        return redirect(reverse("pools:ballot", args=[pool.code]) + "?saved=1")
    context["saved"] = request.GET.get("saved") == "1"
    return render(request, "pools/ballot.html", context)


@_refusals
@require_POST
def leave(request, code):
    pool = _pool(request, code)
    me = _me(request, pool)
    if me is None:
        return _refuse(request, "This browser holds no ballot in this pool.", 403, pool)
    try:
        services.member_leave(member_id=me.pk)
    except services.PoolError as exc:
        return _refuse(request, str(exc), 403, pool)
    response = redirect("pools:detail", code=pool.code)
    response.delete_cookie(_cookie(pool), path=reverse("pools:detail", args=[pool.code]))
    return response


def _host_pool(request, code: str, secret: str) -> Pool:
    pool = _pool(request, code)
    if not _is_host(pool, secret):
        throttle.refused("lookup", request)
        raise Http404("No pool has that code.")
    return pool


@_refusals
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request, code, secret):
    pool = _host_pool(request, code, secret)
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "delete":
                services.pool_delete(pool_id=pool.pk)
                return render(request, "pools/deleted.html", {"pool": pool})
            if action == "remove":
                form = RemoveForm(request.POST)
                if form.is_valid():
                    services.member_remove(pool_id=pool.pk, member_id=form.cleaned_data["member"])
                    return redirect(request.path)
                error = "Choose a member to remove."
            elif action == "answer":
                form = AnswerForm(request.POST)
                if form.is_valid():
                    services.pool_set_answer(pool_id=pool.pk, answer=form.cleaned_data["answer"])
                    return redirect(request.path)
                error = first_error(form)
            else:
                error = "Unknown action."
        except services.PoolError as exc:
            error = str(exc)
    context = {
        "pool": pool,
        "ceremony": pool.ceremony,
        "members": pool.members.in_order(),
        "join_url": request.build_absolute_uri(reverse("pools:detail", args=[pool.code])),
        "manage_url": request.build_absolute_uri(request.path),
        "new": request.GET.get("new") == "1",
        "error": error,
        "answer": AnswerForm(initial={"answer": pool.tiebreak_answer}),
    }
    return render(request, "pools/manage.html", context, status=400 if error else 200)


# A cell a spreadsheet would run as a formula starts with one of these: written with a "'" first.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


@_refusals
@require_safe
def export(request, code, secret):
    """The pool as CSV: a row per member, its standing and (once locked) its picks."""
    pool = _host_pool(request, code, secret)
    snap = current_snapshot_of(pool.ceremony_id)
    locked = pool.is_locked
    cats = [c for c in snap.data["categories"] if c["competitive"]]
    table = board.standings(pool, snap) if locked else {"rows": []}
    standing = {row["id"]: row for row in table["rows"]}
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pool-{pool.code}.csv"'
    writer = csv.writer(response)
    head = ["rank", "name", "points", "hits", "tiebreak"]
    writer.writerow(head + ([c["name"] for c in cats] if locked else []))
    members = sorted(board.members(pool), key=lambda m: standing.get(m["id"], {}).get("rank", 0))
    for member in members:
        row = standing.get(member["id"], {})
        cells = [row.get("rank"), member["name"], row.get("points"), row.get("hits")]
        cells.append(member["tiebreak"] if locked else None)
        if locked:
            cells += [_labels(c).get(member["picks"].get(c["slug"])) for c in cats]
        writer.writerow([csv_cell(cell) for cell in cells])
    return response
