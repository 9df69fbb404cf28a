// Keeps the ceremony page's timeline and records in step with the live snapshot.
// live.js dispatches "tracker:snapshot" (detail: the snapshot) on the document after each apply.
import { byId, el, joinTeams } from "./dom.js";

(() => {
  const root = document.querySelector("article.ceremony");
  if (!root) return;
  const STATUS = { first: "First", ties: "Ties the record", breaks: "Breaks the record" };

  function localTime(iso, zone) {
    return new Date(iso).toLocaleTimeString("en-US", {
      hour: "numeric", minute: "2-digit", timeZone: zone, timeZoneName: "short",
    });
  }

  function holders(record) {
    return record.holders.map((h) => {
      const parts = [];
      if (h.person) parts.push(h.person.name);
      if (h.film) parts.push((h.person ? "for " : "") + h.film.title +
        (h.nominations ? ` (${h.wins} of ${h.nominations})` : ""));
      return `${parts.join(" ")}, ${h.ceremony.name}`;
    }).join("; ");
  }

  function renderTimeline(s) {
    const section = byId("timeline");
    const list = byId("timeline-list");
    if (!section || !list) return;
    const zone = s.ceremony.time_zone;
    const items = s.categories.filter((c) => c.announced && c.announced_at)
      .sort((a, b) => a.announced_at.localeCompare(b.announced_at));
    list.replaceChildren(...items.map((c) => {
      const li = el("li");
      const time = el("time", "", localTime(c.announced_at, zone));
      time.dateTime = c.announced_at;
      const link = el("a", "", c.name);
      link.href = `#cat-${c.slug}`;
      li.append(time, " ", link, `: ${joinTeams(c.winners.map((w) => w.label))}`);
      if (c.corrected_at) li.append(" ", el("span", "badge corrected", `corrected ${localTime(c.corrected_at, zone)}`));
      return li;
    }));
    section.hidden = items.length === 0;
  }

  // A film's wins short of the record: "Most since 2024" (records.py, `since`).
  function sinceLabel(r) {
    return `Most since ${r.previous.holders[0].ceremony.date.slice(0, 4)}`;
  }

  function renderRecords(s) {
    const section = byId("records");
    const list = byId("records-list");
    if (!section || !list) return;
    const made = s.records || [];
    list.replaceChildren(...made.map((r) => {
      const li = el("li");
      li.dataset.kind = r.kind;
      li.append(el("span", `badge record-${r.status}`, STATUS[r.status] || sinceLabel(r)), ` ${r.title}: `,
        el("strong", "", String(r.figure)), `, ${holders(r)}`);
      if (r.status === "since") {
        li.append(el("span", "muted", ` (last as many or more: ${r.previous.figure}, ${holders(r.previous)})`));
      } else if (r.previous && r.previous.figure) {
        const who = r.previous.shared_by ? `, shared by ${r.previous.shared_by}` : `: ${holders(r.previous)}`;
        li.append(el("span", "muted", ` (previous record ${r.previous.figure}${who})`));
      }
      return li;
    }));
    section.hidden = made.length === 0;
  }

  document.addEventListener("tracker:snapshot", (event) => {
    renderTimeline(event.detail);
    renderRecords(event.detail);
  });
})();
