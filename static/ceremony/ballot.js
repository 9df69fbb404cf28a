// The reader's ballot: a pick per category, kept in this browser's localStorage and never sent
// to the server, scored against each snapshot live.js applies. A share link carries the picks in
// the URL fragment, which browsers do not send either. See "Ballots" in docs/protocol.md.
import { byId, el } from "./dom.js";

// Picks and scores are plain objects keyed by category slug: read them only through `entryOf`,
// so that a slug named like something every object inherits ("constructor") is not taken for one.
const entryOf = (bySlug, slug) => (Object.hasOwn(bySlug, slug) ? bySlug[slug] : undefined);

// Pure: which picks are right, wrong or still open, and the scores, for one snapshot.
// `picks` maps a category slug to a nomination id. Only competitive categories count.
// - score: `right` of `scored`, where `scored` is the announced categories with a pick;
// - a tie's every winner is right; a withdrawn result (no winners, corrected_at set) is locked
//   and unscored; a correction simply re-scores, since winners are all that is read; once the
//   ceremony is final, categories never announced are "closed": locked and unscored;
// - globe: what "always pick the Globe winner" scores: over announced categories in which a
//   Globe winner is nominated, right when a Globe winner won (Drama or Comedy: the one meaning
//   of "the Globe winner" the track records and grades use, docs/archive.md);
// - season: what "always pick the season's favourite" scores (`season.favourite`).
function scoreBallot(picks, snapshot) {
  const result = {
    right: 0, scored: 0, picked: 0, open: 0, openPicked: 0,
    globe: { right: 0, scored: 0 },
    season: { right: 0, scored: 0 },
    categories: {},
  };
  // A final ceremony is over: what was never announced stays unscored, and closed to picks.
  const over = Boolean(snapshot.ceremony) && snapshot.ceremony.status === "final";
  for (const cat of snapshot.categories) {
    if (!cat.competitive) continue;
    const ids = new Set(cat.nominations.map((n) => n.id));
    const picked = entryOf(picks, cat.slug);
    const pick = ids.has(picked) ? picked : null;
    const winners = new Set(cat.winners.map((w) => w.id));
    const favourite = (cat.precursor.favourites || []).find((f) => ids.has(f.id)) || null;
    let state = over ? "closed" : "open";
    if (cat.announced) state = pick === null ? "unpicked" : winners.has(pick) ? "right" : "wrong";
    else if (cat.corrected_at) state = "withdrawn";
    if (pick !== null) result.picked += 1;
    if (state === "open") {
      result.open += 1;
      if (pick !== null) result.openPicked += 1;
    }
    if (state === "right" || state === "wrong") {
      result.scored += 1;
      if (state === "right") result.right += 1;
    }
    if (cat.announced && favourite) {
      result.globe.scored += 1;
      if ((cat.precursor.favourites || []).some((f) => winners.has(f.id))) result.globe.right += 1;
    }
    const seasonPick = cat.season ? cat.season.favourite : null;
    if (cat.announced && seasonPick) {
      result.season.scored += 1;
      if (winners.has(seasonPick)) result.season.right += 1;
    }
    result.categories[cat.slug] = { pick, state, favourite };
  }
  return result;
}

// Nomination ids identify their category, so a ballot is just its ids: base 36, dot-separated.
function encodePicks(picks) {
  return Object.values(picks).map((id) => id.toString(36)).join(".");
}

function decodePicks(text, snapshot) {
  const categoryOf = new Map();
  for (const cat of snapshot.categories) {
    if (cat.competitive) for (const n of cat.nominations) categoryOf.set(n.id, cat.slug);
  }
  const picks = {};
  for (const part of text.split(".")) {
    const id = /^[0-9a-z]{1,12}$/.test(part) ? parseInt(part, 36) : NaN;
    const slug = categoryOf.get(id);
    if (slug && !Object.hasOwn(picks, slug)) picks[slug] = id;
  }
  return picks;
}

window.trackerBallot = { scoreBallot, encodePicks, decodePicks };

(() => {
  const root = document.querySelector("article.ceremony[data-slug]");
  const initial = byId("snapshot-data");
  const panel = byId("ballot-panel");
  if (!root || !initial || !panel) return;

  const KEY = `tracker:ballot:${root.dataset.slug}`;
  const toggle = byId("ballot-toggle");
  const shareButton = byId("ballot-share");
  const linkRow = byId("ballot-link-row");
  const linkInput = byId("ballot-link");
  const adoptButton = byId("ballot-adopt");
  const ownButton = byId("ballot-own");

  let snapshot = JSON.parse(initial.textContent);
  let own = load();
  let shared = sharedFromLocation();
  let choosing = false;

  function load() {
    try {
      const stored = JSON.parse(localStorage.getItem(KEY) || "{}");
      return stored && typeof stored === "object" ? stored : {};
    } catch {
      return {};
    }
  }

  function save() {
    try {
      localStorage.setItem(KEY, JSON.stringify(own));
    } catch {
      // Storage refused (private mode, full): the picks last as long as the page.
    }
  }

  function sharedFromLocation() {
    const match = /^#ballot=([0-9a-z.]*)$/.exec(location.hash);
    return match ? decodePicks(match[1], snapshot) : null;
  }

  // A credit naming several people (producers, a sound team) is not what readers pick by: the
  // film is, with the credit as small print.
  const crowded = (n) => (n.people || []).length > 1;
  const labelOf = (n) =>
    n.nominee && n.nominee !== n.film && !crowded(n) ? `${n.nominee} · ${n.film}` : n.film;

  // --- one block per category card: the pick controls, or the pick and its mark ----------------

  function blockFor(section) {
    let block = section.querySelector(":scope > .pick");
    if (!block) {
      block = el("div", "pick");
      const list = section.querySelector(".nominees");
      if (list) list.after(block);
      else section.append(block);
    }
    return block;
  }

  function renderChoices(block, cat) {
    const favourites = new Set((cat.precursor.favourites || []).map((f) => f.id));
    const fieldset = el("fieldset");
    fieldset.append(el("legend", "visually-hidden", `Your pick for ${cat.name}`));
    for (const n of cat.nominations) {
      const label = el("label", "pick-option");
      const input = el("input");
      input.type = "radio";
      input.name = `pick-${cat.slug}`;
      input.value = n.id;
      const name = el("span", "pick-name", labelOf(n));
      if (crowded(n)) name.append(" ", el("span", "pick-credit", n.nominee));
      label.append(input, " ", name);
      if (favourites.has(n.id)) {
        label.append(" ", el("span", "badge globe", "Globe winner"));
      }
      fieldset.append(label);
    }
    const clear = el("button", "pick-clear", "Clear pick");
    clear.type = "button";
    clear.dataset.clear = cat.slug;
    fieldset.append(clear);
    block.replaceChildren(fieldset);
  }

  function renderSummary(block, cat, entry, whose) {
    const line = el("p", `pick-line pick-${entry.state}`);
    line.tabIndex = -1;
    const nominee = cat.nominations.find((n) => n.id === entry.pick);
    if (nominee) {
      line.append(`${whose} pick: `, el("strong", "", labelOf(nominee)));
      const mark = {
        right: ["✓ right", "pick-mark right"],
        wrong: ["✗ wrong", "pick-mark wrong"],
        withdrawn: ["result withdrawn, not scored", "pick-mark"],
        closed: ["not awarded, not scored", "pick-mark"],
      }[entry.state];
      if (mark) line.append(" ", el("span", mark[1], mark[0]));
    } else if (entry.state === "open") {
      line.append("No pick yet.");
    } else {
      line.append("No pick.");
    }
    block.replaceChildren(line);
  }

  function renderCategory(section, cat, entry, picks) {
    const mode = shared ? "shared" : choosing && entry.state === "open" ? "choosing" : "summary";
    const block = blockFor(section);
    // Rebuilt only when what it shows changed, so a focused radio button is not replaced
    // under the reader by a snapshot about another category.
    const signature = JSON.stringify([
      mode, mode === "choosing" ? null : entry, cat.nominations.map((n) => [n.id, labelOf(n)]),
      cat.precursor.favourites,
    ]);
    if (block.dataset.signature !== signature) {
      const hadFocus = block.contains(document.activeElement);
      block.dataset.signature = signature;
      block.dataset.mode = mode;
      if (mode === "choosing") renderChoices(block, cat);
      else renderSummary(block, cat, entry, shared ? "Their" : "Your");
      if (hadFocus && mode !== "choosing") block.querySelector(".pick-line").focus();
    }
    block.hidden = mode === "summary" && entry.pick === null;
    for (const input of block.querySelectorAll("input[type=radio]")) {
      input.checked = Number(input.value) === entry.pick;
    }
    const clear = block.querySelector(".pick-clear");
    if (clear) clear.hidden = entry.pick === null;
    for (const li of section.querySelectorAll(".nominees li[data-nomination]")) {
      li.classList.toggle("picked", Number(li.dataset.nomination) === entryOf(picks, cat.slug));
    }
  }

  // --- the panel: the score, how it is counted, and the buttons ---------------------------------

  function plural(n, one, many = `${one}s`) {
    return `${n} ${n === 1 ? one : many}`;
  }
  const categories = (n) => plural(n, "announced category", "announced categories");

  function renderPanel(score) {
    const hasPicks = Object.keys(own).length > 0;
    panel.dataset.mode = shared ? "shared" : "own";
    byId("ballot-heading").textContent = shared ? "A shared ballot" : "Your ballot";
    byId("ballot-note").textContent = shared
      ? "Read-only: picks from the link, scored against the live results."
      : "Kept in this browser only.";

    const scoreLine = byId("ballot-score");
    const who = shared ? "This ballot" : "You";
    if (score.scored) {
      scoreLine.replaceChildren(
        el("strong", "", `${who}: ${score.right} of ${score.scored}`),
        ` right, counting the ${categories(score.scored)} ` +
          `${shared ? "it picks" : "you picked"} in.`,
      );
    } else if (score.picked) {
      scoreLine.textContent = `${who}: ${plural(score.picked, "pick")}; scoring starts with the first of them announced.`;
    } else {
      scoreLine.textContent = shared ? "This link holds no picks for this ceremony." : "No picks yet.";
    }
    if (score.scored && score.openPicked) {
      scoreLine.append(` ${plural(score.openPicked, "pick")} still to come.`);
    }
    // Your score's own page and share card (docs/sharing.md): "I called 18 of 23".
    const cardRow = byId("ballot-card-row");
    cardRow.hidden = !score.scored || shared;
    byId("ballot-card").href = cardRow.hidden
      ? ""
      : `/ceremonies/${encodeURIComponent(snapshot.ceremony.slug)}/called-${score.right}-of-${score.scored}/`;

    // Shown from the start wherever the Globes give a hint, so its arrival moves nothing.
    const globe = byId("ballot-globe");
    globe.hidden = !snapshot.categories.some((c) => c.competitive && c.precursor.favourites.length);
    globe.textContent = score.globe.scored
      ? `Always the Globe winner: ${score.globe.right} of ${score.globe.scored}, counting the ` +
        `${categories(score.globe.scored)} with a Golden Globe winner nominated ` +
        "(either, where two were)."
      : "Always the Globe winner: no result yet.";
    const season = byId("ballot-season");
    if (season) {
      season.hidden = !snapshot.categories.some((c) => c.competitive && c.season && c.season.favourite);
      season.textContent = score.season.scored
        ? `Always the season's favourite: ${score.season.right} of ${score.season.scored}.`
        : "Always the season's favourite: no result yet.";
    }

    toggle.hidden = Boolean(shared) || score.open === 0;
    toggle.setAttribute("aria-expanded", String(choosing));
    toggle.textContent = choosing ? "Done picking" : hasPicks ? "Change your picks" : "Make your picks";
    shareButton.hidden = Boolean(shared) || !hasPicks;
    adoptButton.hidden = !shared || !Object.keys(shared).some(
      (slug) => entryOf(score.categories, slug)?.state === "open",
    );
    ownButton.hidden = !shared;
    if (shared || !hasPicks) linkRow.hidden = true;
    root.classList.toggle("ballot-choosing", choosing && !shared);
  }

  function render() {
    const picks = shared || own;
    const score = scoreBallot(picks, snapshot);
    // A final ceremony is past picking: only a ballot made before (or a shared one) is shown.
    if (score.open === 0) choosing = false;
    const visible = Boolean(shared) || snapshot.ceremony.status !== "final" || score.picked > 0;
    panel.hidden = !visible;
    for (const cat of snapshot.categories) {
      const section = byId(`cat-${cat.slug}`);
      if (!section) continue;
      const entry = entryOf(score.categories, cat.slug);
      if (!entry || !visible) {
        const block = section.querySelector(":scope > .pick");
        if (block) block.remove();
        continue;
      }
      renderCategory(section, cat, entry, picks);
    }
    renderPanel(score);
  }

  // --- events -------------------------------------------------------------------------------

  document.addEventListener("tracker:snapshot", (event) => {
    snapshot = event.detail;
    render();
  });

  root.addEventListener("change", (event) => {
    const input = event.target;
    if (!input.matches(".pick input[type=radio]") || shared) return;
    const slug = input.name.replace(/^pick-/, "");
    const entry = entryOf(scoreBallot({}, snapshot).categories, slug);
    // Announced (or withdrawn) since the controls were drawn: the pick is locked.
    if (entry && entry.state === "open") {
      own[slug] = Number(input.value);
      save();
    }
    render();
  });

  root.addEventListener("click", (event) => {
    const clear = event.target.closest("button[data-clear]");
    if (!clear || shared) return;
    const entry = entryOf(scoreBallot({}, snapshot).categories, clear.dataset.clear);
    if (entry && entry.state === "open") {
      delete own[clear.dataset.clear];
      save();
    }
    render();
    const first = clear.closest(".pick").querySelector("input[type=radio]");
    if (first) first.focus();
  });

  toggle.addEventListener("click", () => {
    choosing = !choosing;
    render();
  });

  shareButton.addEventListener("click", () => {
    const url = `${location.origin}${location.pathname}#ballot=${encodePicks(own)}`;
    linkInput.value = url;
    linkRow.hidden = false;
    linkInput.focus();
    linkInput.select();
    if (navigator.clipboard) navigator.clipboard.writeText(url).catch(() => {});
  });

  function leaveShared() {
    shared = null;
    history.replaceState(null, "", location.pathname + location.search);
    render();
  }

  adoptButton.addEventListener("click", () => {
    // Only where picking is still open: a result already in keeps the reader's own pick (or none).
    const score = scoreBallot({}, snapshot);
    for (const [slug, id] of Object.entries(shared)) {
      if (entryOf(score.categories, slug)?.state === "open") own[slug] = id;
    }
    save();
    leaveShared();
    toggle.focus();
  });

  ownButton.addEventListener("click", () => {
    leaveShared();
    if (!toggle.hidden) toggle.focus();
  });

  window.addEventListener("hashchange", () => {
    const fromLink = sharedFromLocation();
    if (fromLink) {
      shared = fromLink;
      choosing = false;
      render();
    }
  });

  // Another tab of this ceremony changed the picks.
  window.addEventListener("storage", (event) => {
    if (event.key !== KEY) return;
    own = load();
    render();
  });

  render();

  // live.js may have applied a newer snapshot before this script ran; catch up once.
  if (Number(root.dataset.version) > snapshot.version && root.dataset.api) {
    fetch(root.dataset.api, { headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((fresh) => {
        if (fresh && fresh.version > snapshot.version) {
          snapshot = fresh;
          render();
        }
      })
      .catch(() => {});
  }
})();
