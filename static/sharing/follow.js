// Alerts on a ceremony page (templates/sharing/_follow.html): the reader picks categories or
// films to follow; permission for notifications is asked only then. When a followed result
// lands (a new revision with winners, from live.js's `tracker:snapshot`) while the page is in
// the background, the browser shows a notification. Kept in this browser only (localStorage).
import { byId, joinTeams } from "../ceremony/dom.js";

const panel = byId("follow");
const initial = byId("snapshot-data");
if (panel && initial && "Notification" in window) {
  const key = `tracker:follow:${panel.dataset.slug}`;
  const form = panel.querySelector("form");
  const state = panel.querySelector(".follow-state");
  let follows = { categories: [], films: [] };
  try {
    follows = { ...follows, ...JSON.parse(localStorage.getItem(key) || "{}") };
  } catch {
    // Nothing kept, or storage refused: follow nothing yet.
  }
  for (const box of form.querySelectorAll("input[type=checkbox]")) {
    const list = box.name === "film" ? follows.films : follows.categories;
    box.checked = list.includes(box.value);
  }
  panel.hidden = false;

  const describe = () => {
    const n = follows.categories.length + follows.films.length;
    if (!n) return "You follow nothing here.";
    if (Notification.permission === "granted") {
      return `Following ${n}: a notification comes when a result lands while this page is in the background.`;
    }
    return `Following ${n}, but this browser blocks notifications from this site.`;
  };
  if (follows.categories.length + follows.films.length) state.textContent = describe();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    follows = { categories: data.getAll("category"), films: data.getAll("film") };
    try {
      localStorage.setItem(key, JSON.stringify(follows));
    } catch {
      // Private mode: followed for this visit only.
    }
    if (follows.categories.length + follows.films.length && Notification.permission === "default") {
      await Notification.requestPermission();
    }
    state.textContent = describe();
  });

  const followed = (cat) =>
    follows.categories.includes(cat.slug) ||
    cat.nominations.some((n) => n.won && n.films.some((film) => follows.films.includes(film)));

  let shown = JSON.parse(initial.textContent);
  document.addEventListener("tracker:snapshot", (event) => {
    const winnersOf = (cat) => cat.winners.map((w) => w.id).join(",");
    const before = new Map(shown.categories.map((c) => [c.slug, winnersOf(c)]));
    shown = event.detail;
    if (document.visibilityState !== "hidden" || Notification.permission !== "granted") return;
    for (const cat of shown.categories) {
      // New winners only: a note or a reordering changes a revision, not the result.
      if (before.get(cat.slug) === winnersOf(cat) || !cat.winners.length || !followed(cat)) continue;
      const corrected = Boolean(before.get(cat.slug));
      const winners = joinTeams(cat.winners.map((w) => w.headline || w.label));
      const notice = new Notification(`${cat.name}: ${winners}`, {
        body: corrected ? "A correction." : cat.precursor.summary || shown.ceremony.name,
        tag: `${shown.ceremony.slug}/${cat.slug}`,
      });
      notice.addEventListener("click", () => {
        window.focus();
        location.hash = `cat-${cat.slug}`;
      });
    }
  });
}
