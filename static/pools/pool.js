// A pool's page, kept live: it follows the ceremony's own socket (the same frames every reader of
// the ceremony page gets: docs/protocol.md), loads the pool's locked picks once, and scores them in
// the browser with scoring.js, the server's function line for line. Nothing is asked of the
// server per result. Without this script the page is complete, only not live (docs/pools.md).
import { byId, el, joinTeams } from "../ceremony/dom.js";
import { followCeremony } from "../ceremony/stream.js";
import { standings } from "./scoring.js";

(() => {
  const root = byId("pool");
  const initial = byId("snapshot-data");
  if (!root || !initial) return;

  const TOP = Number(root.dataset.top) || 100;
  const me = root.dataset.me ? Number(root.dataset.me) : null;
  const connection = byId("connection");
  const announcer = byId("announcer");

  let current = JSON.parse(initial.textContent);
  let pool = null; // the picks JSON, once locked
  let loading = null;
  let stream = null;
  let lastScore = null;
  // The rows whose picks the reader has opened: kept open when the table is redrawn.
  const opened = new Set();

  const locked = (s) => s.ceremony.status !== "draft"
    || (Boolean(s.ceremony.starts_at) && Date.now() >= Date.parse(s.ceremony.starts_at));
  const labelOf = (n) => (n.nominee && n.nominee !== n.film ? `${n.nominee} · ${n.film}` : n.film);
  const competitive = (s) => s.categories.filter((c) => c.competitive);

  // --- carrying this browser's ballot (static/ceremony/ballot.js) into the pool -----------------

  function offerCarry() {
    const form = byId("join-form");
    const carry = byId("carry");
    if (!form || !carry) return;
    let picks = {};
    try {
      picks = JSON.parse(localStorage.getItem(`tracker:ballot:${current.ceremony.slug}`) || "{}") || {};
    } catch {
      picks = {};
    }
    const ids = Object.values(picks).filter((id) => Number.isInteger(id) && id > 0);
    if (!ids.length) return;
    carry.hidden = false;
    byId("carry-text").textContent =
      `Bring the ${ids.length} pick${ids.length === 1 ? "" : "s"} of this browser's ballot`;
    byId("carry-box").checked = true;
    form.addEventListener("submit", () => {
      form.elements.carried.value = byId("carry-box").checked
        ? ids.map((id) => id.toString(36)).join(".") : "";
    });
  }

  // --- rendering ------------------------------------------------------------------------------

  function row(entry, labels, picks) {
    const tr = el("tr");
    tr.dataset.member = entry.id;
    if (entry.id === me) tr.className = "me";
    const details = el("details");
    const summary = el("summary");
    summary.append(el("span", "name", entry.name));
    if (entry.id === me) summary.append(" ", el("span", "badge you", "you"));
    const list = el("ul", "member-picks");
    // The picks are drawn when the row is opened: a hundred rows of 23 picks each, redrawn on
    // every result, were most of the page's work (docs/performance.md, *Pools*).
    const fill = () => {
      for (const cat of competitive(current)) {
        const li = el("li");
        const pick = picks && Object.hasOwn(picks, cat.slug) ? picks[cat.slug] : null;
        li.append(el("span", "muted", `${cat.name}:`), " ", labels.get(cat.slug).get(pick) || "no pick");
        list.append(li);
      }
    };
    if (opened.has(entry.id)) {
      details.open = true;
      fill();
    }
    details.addEventListener("toggle", () => {
      if (details.open) {
        opened.add(entry.id);
        if (!list.childElementCount) fill();
      } else opened.delete(entry.id);
    });
    details.append(summary, list);
    const who = el("td", "who");
    who.append(details);
    tr.append(el("td", "rank num", String(entry.rank)), who, el("td", "points num", String(entry.points)),
      el("td", "hits num", String(entry.hits)), el("td", "upsets num", String(entry.upsets.length)));
    return tr;
  }

  function render() {
    const isLocked = locked(current) && pool && pool.locked;
    byId("pool-status").textContent = isLocked
      ? current.ceremony.status === "final" ? "Ballots locked: final results" : "Ballots locked"
      : "Ballots open until the show starts";
    if (!isLocked) return;
    const started = performance.now();
    byId("pool-open").hidden = true;
    byId("standings-section").hidden = false;
    byId("categories-section").hidden = false;
    const table = standings(pool.rules, pool.members, current);
    const labels = new Map(competitive(current).map(
      (c) => [c.slug, new Map(c.nominations.map((n) => [n.id, labelOf(n)]))],
    ));
    const picksOf = new Map(pool.members.map((m) => [m.id, m.picks]));
    const shown = table.rows.slice(0, TOP);
    const mine = table.rows.slice(TOP).find((r) => r.id === me);
    if (mine) shown.push(mine);
    byId("standings").replaceChildren(...shown.map((r) => row(r, labels, picksOf.get(r.id))));
    const more = byId("standings-more");
    more.hidden = table.rows.length <= TOP;
    more.textContent = `And ${table.rows.length - TOP} more not shown.`;
    const p = current.progress;
    const rules = pool.rules;
    let note = `${p.announced} of ${p.total} awarded · ${table.possible} point${table.possible === 1 ? "" : "s"} so far`;
    if (pool.question) note += ` · tiebreak: ${pool.question}${Number.isInteger(rules.answer) ? ` (${rules.answer})` : ""}`;
    byId("standings-note").textContent = note;
    renderCategories(table);
    const own = table.rows.find((r) => r.id === me);
    if (own) {
      const score = `${own.rank} ${own.points}`;
      if (lastScore !== null && lastScore !== score) {
        announcer.textContent = `Standings updated: you are number ${own.rank}, ${own.points} point${own.points === 1 ? "" : "s"}.`;
      }
      lastScore = score;
    }
    // For tests and the benchmark (tests/perf/pool_bench.py): which version is shown, and what
    // scoring and drawing it took.
    document.dispatchEvent(new CustomEvent("pools:standings", {
      detail: { version: current.version, ms: performance.now() - started },
    }));
  }

  function renderCategories(table) {
    const names = new Map(pool.members.map((m) => [m.id, m.name]));
    const bySlug = new Map(table.categories.map((c) => [c.slug, c]));
    const items = competitive(current).map((cat) => {
      const summary = bySlug.get(cat.slug);
      const labels = new Map(cat.nominations.map((n) => [n.id, labelOf(n)]));
      const li = el("li");
      li.dataset.slug = cat.slug;
      const result = el("span", "cat-result");
      if (cat.winners.length) {
        result.append(joinTeams(cat.winners.map((w) => w.headline || w.label)));
        if (cat.precursor.status === "upset") result.append(" ", el("span", "badge upset", "upset"));
      } else {
        result.append(cat.corrected_at ? "result withdrawn" : "not yet announced");
      }
      const popular = el("span", "cat-popular", summary.popular.length
        ? `Most picked: ${summary.popular.map((id) => labels.get(id)).join(", ")} (${summary.count} of ${summary.picked})`
        : "No picks");
      const callers = summary.callers.map((id) => names.get(id)).filter(Boolean);
      const called = el("span", "cat-callers", `Called the upset: ${callers.slice(0, 10).join(", ")}${callers.length > 10 ? ` and ${callers.length - 10} more` : ""}`);
      called.hidden = !callers.length;
      li.append(el("strong", "cat-name", cat.name), " ", result, " ", popular, " ", called);
      return li;
    });
    byId("pool-categories").replaceChildren(...items);
  }

  // --- the pool's picks: loaded once when ballots lock -----------------------------------------

  function loadPicks() {
    if ((pool && pool.locked) || loading || !locked(current)) return;
    loading = fetch(root.dataset.picks, { cache: "no-cache", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((data) => {
        pool = data;
        render();
      })
      .catch(() => {})
      .finally(() => {
        loading = null;
        // The server locks by its own clock: not yet locked there, or a failed fetch, is tried again.
        if (!(pool && pool.locked)) setTimeout(loadPicks, 2000);
      });
  }

  function apply(s) {
    current = s;
    root.dataset.version = s.version;
    if (pool && pool.locked) render();
    else loadPicks();
    if (s.ceremony.status === "final") finish();
  }

  function showConnection({ live, stopped }) {
    const state = stopped ? "final" : live ? "live" : "reconnecting";
    connection.dataset.state = state;
    connection.textContent = state === "live" ? "Live" : state === "final" ? "" : "Not live: reconnecting…";
    connection.hidden = state === "final";
  }

  function finish() {
    if (stream) stream.stop();
    showConnection({ live: false, stopped: true });
  }

  offerCarry();
  // Before the show, the start time may pass with no frame at all.
  setInterval(() => {
    if (!(pool && pool.locked)) loadPicks();
  }, 1000);
  if (locked(current)) loadPicks();
  if (current.ceremony.status === "final" || !root.dataset.socket) finish();
  else {
    // The ceremony's socket, as the ceremony page follows it (../ceremony/stream.js).
    stream = followCeremony({
      socketPath: root.dataset.socket,
      apiUrl: root.dataset.api,
      initial: current,
      onSnapshot: apply,
      onConnection: showConnection,
    });
  }
})();
