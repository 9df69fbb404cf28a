// The forecast on a live page (ceremony/forecast/odds.py and its template tags render the same
// on the server): each nominee's odds before the envelope, how surprising the result was once
// it lands, and the forecast's own ballot. Read from the snapshot's `forecast` per category.
import { byId, el } from "./dom.js";

const percent = (p) => (p < 0.005 ? "under 1%" : `${Math.round(100 * p)}%`);

function chance(p) {
  if (p < 0.005) return "less than a 1% chance";
  const n = Math.round(100 * p);
  return `${String(n).startsWith("8") || n === 11 || n === 18 ? "an" : "a"} ${n}% chance`;
}

function winnerChance(cat) {
  const odds = new Map(cat.forecast || []);
  const chances = cat.nominations.filter((n) => n.won && odds.has(n.id)).map((n) => odds.get(n.id));
  return chances.length ? Math.max(...chances) : null;
}

// "The forecast gave it a 12% chance: the biggest surprise of the night so far."
export function surprise(s, cat) {
  const p = cat.competitive && cat.announced ? winnerChance(cat) : null;
  if (p === null) return "";
  const text = `The forecast gave it ${chance(p)}`;
  const chances = cat.forecast.map(([, q]) => q);
  if (p === Math.max(...chances) && p !== Math.min(...chances)) {
    return `${text}: ${chances.filter((q) => q === p).length > 1 ? "a joint" : "the"} favourite won.`;
  }
  const when = cat.announced_at || "";
  const earlier = s.categories
    .filter((r) => r.competitive && r.announced && r.slug !== cat.slug && (r.announced_at || "") <= when)
    .map(winnerChance)
    .filter((c) => c !== null);
  if (earlier.length && p < Math.min(...earlier)) return `${text}: the biggest surprise of the night so far.`;
  return `${text}.`;
}

export function renderOdds(section, cat, s) {
  const odds = new Map(cat.forecast || []);
  for (const li of section.querySelectorAll(".nominees > li")) {
    const p = odds.get(Number(li.dataset.nomination));
    let span = li.querySelector(".odds");
    if (p === undefined) {
      if (span) span.remove();
      continue;
    }
    if (!span) {
      span = el("span", "odds");
      span.title = "The forecast's chance";
      li.append(" ", span);
    }
    span.textContent = percent(p);
  }
  let line = section.querySelector(".surprise");
  if (!line) section.querySelector(".nominees").after((line = el("p", "surprise")));
  line.textContent = surprise(s, cat);
  line.hidden = !line.textContent;
}

// "The forecast's ballot (its favourite in every category): 19 of 23 right."
export function renderForecastBallot(s) {
  const line = byId("forecast-ballot");
  if (!line) return;
  let right = 0;
  let scored = 0;
  for (const cat of s.categories) {
    if (!cat.competitive || !cat.announced || !(cat.forecast || []).length) continue;
    const top = Math.max(...cat.forecast.map(([, p]) => p));
    const tops = cat.forecast.filter(([, p]) => p === top).map(([id]) => id);
    const winners = new Set(cat.nominations.filter((n) => n.won).map((n) => n.id));
    right += tops.filter((id) => winners.has(id)).length / tops.length;
    scored += 1;
  }
  const any = s.categories.some((c) => (c.forecast || []).length);
  const shown = Number.isInteger(right) ? String(right) : right.toFixed(1);
  const text = !any ? "" : scored
    ? `The forecast's ballot (its favourite in every category): ${shown} of ${scored} right.`
    : "The forecast's ballot: its favourite in every category, no result yet.";
  line.firstChild.textContent = `${text} `;
  line.hidden = !text;
}
