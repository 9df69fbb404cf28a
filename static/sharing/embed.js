// The embedded scoreboard (templates/sharing/embed.html), kept live over the ceremony's own
// socket, snapshots and deltas (../ceremony/stream.js); rendered as the server renders it.
import { byId, el, joinTeams } from "../ceremony/dom.js";
import { followCeremony } from "../ceremony/stream.js";

const root = document.querySelector("main.embed[data-socket]");
if (root && "WebSocket" in window) {
  const only = root.dataset.category;
  const status = byId("embed-status");
  let connected = false;
  let shown = null;

  // As ceremony/sharing/results.py words it.
  const headline = (cat) =>
    cat.winners.length
      ? joinTeams(cat.winners.map((w) => w.headline || w.label))
      : cat.corrected_at ? "Result withdrawn" : "to come";

  function row(cat) {
    const li = el("li", cat.announced || cat.corrected_at ? "done" : "");
    li.dataset.slug = cat.slug;
    if (!only) li.append(el("span", "cat", cat.name), " ");
    li.append(el("strong", "win", headline(cat)));
    if (cat.announced && cat.precursor.status === "upset") li.append(" ", el("span", "badge upset", "Upset"));
    if (cat.corrected_at) li.append(" ", el("span", "badge corrected", "Corrected"));
    return li;
  }

  // As ceremony/sharing/results.py scoreboard_order: results so far, the latest first (by the
  // time of their last change, then the show's order backwards), then any with no time
  // (imported), then those to come, both in the show's order.
  const done = (cat) => cat.announced || cat.corrected_at;
  const changed = (cat) => cat.corrected_at || cat.announced_at;
  const time = (cat) => Date.parse(changed(cat));
  function order(categories) {
    const timed = categories.filter((cat) => done(cat) && changed(cat));
    timed.sort((a, b) => time(b) - time(a) || b.order - a.order);
    const untimed = categories.filter((cat) => done(cat) && !changed(cat));
    return [...timed, ...untimed, ...categories.filter((cat) => !done(cat))];
  }

  function renderStatus() {
    const state = shown ? shown.ceremony.status : status.dataset.status;
    let text = state === "final" ? "Final" : state === "live" ? "Live" : "Not started";
    if (state === "live" && !connected) text = "Reconnecting…";
    status.textContent = text;
  }

  function render(s) {
    shown = s;
    root.dataset.version = s.version;
    byId("embed-progress").textContent = `${s.progress.announced} of ${s.progress.total} awarded`;
    const cats = only ? s.categories.filter((c) => c.slug === only) : order(s.categories);
    const list = byId("embed-rows");
    cats.forEach((cat, i) => {
      const fresh = row(cat);
      const old = list.children[i];
      if (!old || old.outerHTML !== fresh.outerHTML) {
        if (old) old.replaceWith(fresh);
        else list.append(fresh);
      }
    });
    while (list.children.length > cats.length) list.lastElementChild.remove();
    renderStatus();
  }

  followCeremony({
    socketPath: root.dataset.socket,
    apiUrl: root.dataset.api,
    onSnapshot: render,
    onConnection: ({ live }) => {
      connected = live;
      renderStatus();
    },
  });
}
