// The reader's page, kept current: applies each newer snapshot from the ceremony's websocket
// in place (docs/protocol.md). The server rendered the same snapshot, so without this script
// the page is complete, only not live.
import { backoff, byId, el, joinLabels, snapshotOf } from "./dom.js";

(() => {
  const root = document.querySelector("article.ceremony[data-socket]");
  const initial = byId("snapshot-data");
  if (!root || !initial || !("WebSocket" in window)) return;

  // After this many failed attempts in a row the reader is told it is offline, not reconnecting.
  const OFFLINE_AFTER_FAILURES = 3;
  const TALLY_ROWS = 10;
  const PEOPLE_ROWS = 5;

  const zone = root.dataset.timeZone;
  const clock = new Intl.DateTimeFormat("en-US", {
    timeZone: zone, hour: "numeric", minute: "2-digit", timeZoneName: "short",
  });
  const connection = byId("connection");
  const announcer = byId("announcer");

  let current = JSON.parse(initial.textContent);
  let applied = current.version;
  let lastUpdate = new Date();
  let socket = null;
  let opened = false;
  let failures = 0;
  let offlineSince = null;
  let reconnectTimer = null;
  let syncing = null;
  let pending = [];

  // --- small DOM helpers --------------------------------------------------------------------

  const timeOf = (iso) => clock.format(new Date(iso));

  function timeEl(iso) {
    const node = el("time", "", timeOf(iso));
    node.dateTime = iso;
    return node;
  }

  function agoEl(iso) {
    const node = el("span", "ago");
    node.dataset.since = iso;
    node.textContent = ago(iso);
    return node;
  }

  function ago(iso) {
    const minutes = Math.floor((Date.now() - new Date(iso).getTime()) / 60000);
    if (minutes < 1) return "just now";
    if (minutes < 60) return `${minutes} min ago`;
    const hours = Math.floor(minutes / 60);
    return hours < 48 ? `${hours} h ago` : "";
  }

  function refreshAgo() {
    for (const node of document.querySelectorAll(".ago[data-since]")) {
      node.textContent = ago(node.dataset.since);
    }
  }

  // --- rendering: each part from the snapshot, touching only what changed ----------------------

  function renderHead(s) {
    const status = s.ceremony.status;
    const label = { live: "Live", final: "Final results" }[status] || "Not started";
    const badge = byId("show-status");
    badge.textContent = label;
    badge.className = `status status-${status}`;
    root.dataset.status = status;
    const { announced, total } = s.progress;
    byId("progress-text").textContent = `${announced} of ${total} awarded`;
    const bar = byId("progress-bar");
    bar.max = total;
    bar.value = announced;
    bar.textContent = `${announced} of ${total}`;
  }

  function renderLatest(s) {
    const items = s.latest.map((item, i) => {
      const li = el("li", i === 0 ? "newest" : "");
      const link = el("a", "", item.name);
      link.href = `#cat-${item.slug}`;
      li.append(link, `: ${item.winners.length ? item.winners.join(" and ") : "result withdrawn"}`);
      if (item.corrected_at) li.append(" ", el("span", "badge corrected", "corrected"));
      if (item.note) li.append(" ", el("span", "result-note", item.note)); // desk branch: the note
      const when = item.corrected_at || item.announced_at;
      li.append(" ", timeEl(when), " ", agoEl(when));
      return li;
    });
    byId("latest").replaceChildren(...(items.length ? items : [el("li", "muted", "No award announced yet.")]));
  }

  // Rows keyed by `key`, updated in place and moved into the new order, so a bar that climbs
  // the chart is the same element, and nothing around it is rebuilt.
  function renderRows(list, rows, key, attr, build, update) {
    const existing = new Map([...list.children].map((li) => [li.dataset[attr], li]));
    rows.forEach((row, index) => {
      let li = existing.get(row[key]);
      existing.delete(row[key]);
      if (!li) {
        li = build(row);
        li.dataset[attr] = row[key];
      }
      update(li, row);
      if (list.children[index] !== li) list.insertBefore(li, list.children[index] || null);
    });
    for (const stale of existing.values()) stale.remove();
  }

  function flash(li, changed) {
    if (!changed) return;
    li.classList.add("just-changed");
    setTimeout(() => li.classList.remove("just-changed"), 2000);
  }

  function renderTallies(s) {
    // Bars compare wins between films: the film with most wins fills its row.
    const most = Math.max(1, s.tallies.length ? s.tallies[0].wins : 0);
    renderRows(
      byId("tallies"), s.tallies.slice(0, TALLY_ROWS), "slug", "film",
      () => {
        const li = el("li");
        const bar = el("progress", "bar");
        bar.setAttribute("aria-hidden", "true");
        li.append(el("span", "bar-label"), " ", bar, " ", el("span", "bar-figure"));
        return li;
      },
      (li, t) => {
        const bar = li.querySelector(".bar");
        const changed = bar.value !== t.wins && li.isConnected;
        li.querySelector(".bar-label").textContent = t.film;
        bar.max = most;
        bar.value = t.wins;
        li.querySelector(".bar-figure").textContent = `${t.wins} of ${t.nominations}`;
        flash(li, changed);
      },
    );
  }

  function renderPeople(s) {
    const list = byId("people");
    if (!s.people.length) {
      list.replaceChildren(el("li", "muted", "No wins yet."));
      return;
    }
    for (const placeholder of list.querySelectorAll("li:not([data-person])")) placeholder.remove();
    renderRows(
      list, s.people.slice(0, PEOPLE_ROWS), "slug", "person",
      () => {
        const li = el("li");
        li.append(el("span", "person-name"), " ", el("span", "bar-figure"));
        return li;
      },
      (li, p) => {
        const figure = li.querySelector(".bar-figure");
        const changed = figure.textContent !== String(p.wins) && li.isConnected;
        li.querySelector(".person-name").textContent = p.name;
        figure.textContent = String(p.wins);
        flash(li, changed);
      },
    );
  }

  function buildCategory(cat) {
    const section = el("section", "category");
    section.id = `cat-${cat.slug}`;
    section.dataset.slug = cat.slug;
    section.append(el("h3", "", cat.name), el("p", "when"), el("ul", "nominees"), el("p", "precursor"));
    return section;
  }

  function nomineeItem(n) {
    const li = el("li");
    li.dataset.nomination = n.id;
    const mark = el("span", "mark", "★");
    mark.setAttribute("aria-hidden", "true");
    li.append(mark, el("span", "visually-hidden winner-label", "Winner: "));
    if (n.nominee && n.nominee !== n.film) {
      li.append(el("span", "nominee", n.nominee), " ", el("span", "film", n.film));
    } else {
      li.append(el("span", "nominee", n.film));
    }
    return li;
  }

  function renderCategory(section, cat) {
    section.className = "category";
    if (cat.announced) section.classList.add("announced");
    if (cat.corrected_at) section.classList.add("corrected");
    if (!cat.competitive) section.classList.add("honorary");
    section.dataset.revision = cat.revision;

    const when = [];
    if (cat.announced_at) when.push(timeEl(cat.announced_at), " ", agoEl(cat.announced_at));
    if (cat.tie) when.push(" ", el("span", "badge tie", "Tie"));
    if (cat.corrected_at) {
      const what = cat.announced ? "Corrected" : "Result withdrawn";
      when.push(" ", el("span", "badge corrected", `${what} ${timeOf(cat.corrected_at)}`));
    }
    if (cat.precursor.status === "upset") when.push(" ", el("span", "badge upset", "Upset"));
    else if (cat.precursor.status === "held") when.push(" ", el("span", "badge held", "Held"));
    section.querySelector(".when").replaceChildren(...when);

    const list = section.querySelector(".nominees");
    const ids = cat.nominations.map((n) => String(n.id)).join(",");
    if ([...list.children].map((li) => li.dataset.nomination).join(",") !== ids) {
      list.replaceChildren(...cat.nominations.map(nomineeItem));
    }
    cat.nominations.forEach((n, i) => list.children[i].classList.toggle("winner", n.won));

    const precursor = section.querySelector(".precursor");
    precursor.className = `precursor precursor-${cat.precursor.status}`;
    precursor.textContent = cat.precursor.summary;
    precursor.hidden = !cat.precursor.summary;

    // desk branch: the editor's note published with the result.
    let note = section.querySelector(".result-note");
    if (!note) section.append((note = el("p", "result-note")));
    note.textContent = cat.note || "";
    note.hidden = !cat.note;
  }

  function renderCategories(s, previous) {
    const before = new Map(previous.categories.map((c) => [c.slug, JSON.stringify(c)]));
    const grid = document.querySelector(".category-grid");
    s.categories.forEach((cat, index) => {
      let section = byId(`cat-${cat.slug}`);
      const fresh = !section;
      if (fresh) section = buildCategory(cat);
      if (fresh || before.get(cat.slug) !== JSON.stringify(cat)) renderCategory(section, cat);
      if (grid.children[index] !== section) grid.insertBefore(section, grid.children[index] || null);
    });
    const wanted = new Set(s.categories.map((c) => `cat-${c.slug}`));
    for (const section of [...grid.children]) if (!wanted.has(section.id)) section.remove();
    const upsets = byId("upset-count");
    upsets.hidden = s.upsets.length === 0;
    upsets.textContent =
      `${s.upsets.length} upset${s.upsets.length === 1 ? "" : "s"} against the precursors so far.`;
  }

  // One short sentence per new winner, correction or withdrawal; never the page.
  function announcements(previous, s) {
    const before = new Map(previous.categories.map((c) => [c.slug, c]));
    const sentences = [];
    for (const cat of s.categories) {
      const old = before.get(cat.slug);
      if (!old || old.revision === cat.revision) continue;
      const winners = joinLabels(cat.winners.map((w) => w.label));
      if (!cat.winners.length) sentences.push(`${cat.name}: result withdrawn.`);
      else if (old.winners.length) sentences.push(`Correction: ${cat.name} is now ${winners}.`);
      else sentences.push(`${cat.name}: ${winners}${cat.tie ? ", a tie" : ""}.`);
    }
    return sentences;
  }

  function apply(s) {
    const previous = current;
    current = s;
    applied = s.version;
    root.dataset.version = s.version;
    lastUpdate = new Date();
    renderHead(s);
    renderLatest(s);
    renderTallies(s);
    renderPeople(s);
    renderCategories(s, previous);
    const sentences = announcements(previous, s);
    if (sentences.length) announcer.textContent = sentences.join(" ");
    showConnection();
    // For other scripts on the page (ballot.js), after the page shows this snapshot.
    document.dispatchEvent(new CustomEvent("tracker:snapshot", { detail: s }));
  }

  // --- versions: apply the next one; on a gap or after a reconnect, fetch the API first ---------

  function receive(s) {
    if (syncing) {
      pending.push(s);
    } else if (s.version <= applied) {
      // Already shown (or older): nothing to do.
    } else if (s.version === applied + 1) {
      apply(s);
    } else {
      resync(s);
    }
  }

  function resync(gapSnapshot) {
    if (gapSnapshot) pending.push(gapSnapshot);
    if (syncing) return;
    syncing = fetch(root.dataset.api, { cache: "no-cache", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((fresh) => {
        if (fresh.version > applied) apply(fresh);
      })
      .catch(() => {
        // Every message is a whole snapshot, so the newest one waiting is a complete state.
        const newest = pending.reduce((a, b) => (b.version > (a ? a.version : -1) ? b : a), null);
        if (newest && newest.version > applied) apply(newest);
      })
      .finally(() => {
        syncing = null;
        const waiting = pending.sort((a, b) => a.version - b.version);
        pending = [];
        waiting.forEach(receive);
      });
  }

  // --- the socket: reconnect with exponential backoff and full jitter --------------------------

  function connect() {
    clearTimeout(reconnectTimer);
    reconnectTimer = null;
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(`${scheme}//${location.host}${root.dataset.socket}`);
    socket.addEventListener("open", () => {
      const reconnected = opened;
      opened = true;
      failures = 0;
      offlineSince = null;
      showConnection();
      if (reconnected) resync();
    });
    socket.addEventListener("message", (event) => {
      const snapshot = snapshotOf(event);
      if (snapshot) receive(snapshot);
    });
    socket.addEventListener("close", () => {
      socket = null;
      failures += 1;
      if (!offlineSince) offlineSince = new Date();
      scheduleReconnect();
      showConnection();
    });
  }

  function scheduleReconnect() {
    if (reconnectTimer) return;
    reconnectTimer = setTimeout(connect, backoff(failures));
  }

  function showConnection() {
    const live = socket && socket.readyState === WebSocket.OPEN;
    const offline = !live && (!navigator.onLine || failures >= OFFLINE_AFTER_FAILURES);
    const state = live ? "live" : offline ? "offline" : "reconnecting";
    const updated = `last update ${clock.format(lastUpdate)} (${ago(lastUpdate.toISOString())})`;
    const text = {
      live: `Live · ${updated}`,
      reconnecting: `Reconnecting… · ${updated}`,
      offline: `Offline since ${clock.format(offlineSince || new Date())} · ${updated}`,
    }[state];
    connection.dataset.state = state;
    if (connection.textContent !== text) connection.textContent = text;
  }

  window.addEventListener("online", () => {
    if (!socket) connect();
  });
  window.addEventListener("offline", showConnection);
  setInterval(() => {
    refreshAgo();
    showConnection();
  }, 30000);

  refreshAgo();
  connection.dataset.state = "reconnecting";
  connection.textContent = "Connecting…";
  connect();
})();
