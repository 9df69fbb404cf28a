// The reader's page, kept current: renders in place each newer version that stream.js follows
// from the ceremony's websocket (docs/protocol.md). The server rendered the same snapshot, so
// without this script the page is complete, only not live.
import { byId, el, joinTeams } from "./dom.js";
import { renderForecastBallot, renderOdds } from "./odds.js";
import { followCeremony } from "./stream.js";

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
  const pageTitle = document.title;
  // Paths of the film and person pages, from the server-rendered links' pattern.
  const filmPath = (slug) => `/films/${encodeURIComponent(slug)}/`;
  const personPath = (slug) => `/people/${encodeURIComponent(slug)}/`;

  let current = JSON.parse(initial.textContent);
  let lastUpdate = new Date();
  let finished = false;
  // Set below, once the rendering it calls back is defined.
  let stream = null;

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

  // The show's status as the reader can trust it: "Live" only while this page is connected.
  function renderStatus() {
    const status = current.ceremony.status;
    const connected = Boolean(stream && stream.status().live);
    let label = "Not started";
    if (status === "final") label = "Final results";
    else if (status === "live") label = connected ? "Live" : "Show in progress";
    const badge = byId("show-status");
    if (badge.textContent !== label) badge.textContent = label;
    badge.className = `status status-${status}${status === "live" && !connected ? " status-paused" : ""}`;
  }

  function renderHead(s) {
    root.dataset.status = s.ceremony.status;
    renderStatus();
    const { announced, total } = s.progress;
    byId("progress-text").textContent = `${announced} of ${total} awarded`;
    const bar = byId("progress-bar");
    bar.max = total;
    bar.value = announced;
    bar.textContent = `${announced} of ${total}`;
    const upsets = byId("upset-count");
    upsets.hidden = s.upsets.length === 0;
    upsets.textContent = `${s.upsets.length} upset${s.upsets.length === 1 ? "" : "s"}`;
  }

  function renderLatest(s) {
    const items = s.latest.map((item, i) => {
      const li = el("li", i === 0 ? "newest" : "");
      const link = el("a", "", item.name);
      link.href = `#cat-${item.slug}`;
      const headlines = item.headlines || item.winners;
      li.append(link, ": ");
      if (headlines.length) li.append(el("strong", "headline", joinTeams(headlines)));
      else li.append("result withdrawn");
      if (item.upset_against && item.upset_against.length) {
        li.append(" ", el("span", "badge upset", "Upset"), " ",
          el("span", "against", `over ${joinTeams(item.upset_against)}`));
      }
      if (item.corrected_at) {
        li.append(" ", el("span", "badge corrected", "Corrected"));
        const was = item.correction && item.correction.was;
        if (was && was.length) li.append(" ", el("span", "was", `was ${joinTeams(was)}`));
      }
      if (item.note) li.append(" ", el("span", "result-note", item.note));
      const when = item.corrected_at || item.announced_at;
      li.append(" ", timeEl(when), " ", agoEl(when));
      return li;
    });
    const latest = byId("latest");
    if (!latest) return;
    // As the server words it (templates/ceremony/detail.html).
    const none = s.ceremony.status === "draft"
      ? "Nothing yet: the first result appears here the moment it is announced."
      : "No award announced yet.";
    latest.replaceChildren(...(items.length ? items : [el("li", "muted", none)]));
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
    // Bars compare wins between films: the film with most wins fills its row. Before the first
    // result they compare nominations ("Most nominated").
    const started = s.progress.announced > 0;
    const value = (t) => (started ? t.wins : t.nominations);
    const most = Math.max(1, s.tallies.length ? value(s.tallies[0]) : 0);
    byId("tallies-h").textContent = started ? "Wins by film" : "Most nominated";
    renderRows(
      byId("tallies"), s.tallies.slice(0, TALLY_ROWS), "slug", "film",
      () => {
        const li = el("li");
        const bar = el("progress", "bar");
        bar.setAttribute("aria-hidden", "true");
        li.append(el("a", "bar-label"), " ", bar, " ", el("span", "bar-figure"));
        return li;
      },
      (li, t) => {
        const bar = li.querySelector(".bar");
        const changed = bar.value !== value(t) && li.isConnected;
        const label = li.querySelector(".bar-label");
        label.textContent = t.film;
        label.href = filmPath(t.slug);
        bar.max = most;
        bar.value = value(t);
        li.querySelector(".bar-figure").textContent =
          started ? `${t.wins} of ${t.nominations}` : String(t.nominations);
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
        const name = el("a", "", p.name);
        name.href = personPath(p.slug);
        const parts = [name];
        if (p.films && p.films.length) {
          const films = el("span", "person-films", "for ");
          p.films.forEach((f, i) => {
            const link = el("a");
            link.href = filmPath(f.slug);
            link.append(el("cite", "", f.title));
            films.append(...(i ? [", ", link] : [link]));
          });
          parts.push(" ", films);
        }
        li.querySelector(".person-name").replaceChildren(...parts);
        figure.textContent = String(p.wins);
        flash(li, changed);
      },
    );
  }

  function buildCategory(cat) {
    const section = el("section", "category");
    section.id = `cat-${cat.slug}`;
    section.dataset.slug = cat.slug;
    const heading = el("h3");
    const anchor = el("a", "anchor", cat.name);
    anchor.href = `#cat-${cat.slug}`;
    heading.append(anchor);
    section.append(heading, el("p", "when"), el("ul", "nominees"), el("p", "precursor"));
    return section;
  }

  // Headline and small print: the film first in a film-level category, else the person.
  function nomineeParts(n, filmLevel) {
    const person = n.nominee && n.nominee !== n.film ? n.nominee : "";
    if (!person) return [n.film || n.nominee, ""];
    if (!n.film) return [person, ""];
    return filmLevel ? [n.film, person] : [person, n.film];
  }

  function nomineeItem(n, filmLevel) {
    const li = el("li");
    li.dataset.nomination = n.id;
    const mark = el("span", "mark", "★");
    mark.setAttribute("aria-hidden", "true");
    li.append(mark, el("span", "visually-hidden winner-label", "Winner: "));
    const [headline, small] = nomineeParts(n, filmLevel);
    li.append(el("span", "nominee", headline));
    if (small) li.append(" ", el("span", "film", small));
    if (n.note) li.append(" ", el("span", "note", n.note));
    return li;
  }

  // "Winner Anora (small: its producers)", or both winners of a tie.
  function resultLine(cat) {
    const line = el("p", "result");
    line.append(el("span", "result-label", cat.winners.length > 1 ? "Winners, a tie" : "Winner"), " ");
    cat.winners.forEach((w, i) => {
      if (i) line.append(" ", el("span", "and", "and"), " ");
      line.append(el("strong", "headline", w.headline || w.label));
      if (w.credit) line.append(" ", el("span", "credit", w.credit));
    });
    return line;
  }

  function correctionLine(cat) {
    const line = el("p", "correction");
    const what = cat.announced ? "Corrected" : "Result withdrawn";
    line.append(el("span", "badge corrected", `${what} ${timeOf(cat.corrected_at)}`));
    const fix = cat.correction || {};
    if (fix.was && fix.was.length) line.append(` was ${joinTeams(fix.was)}.`);
    if (fix.reason) line.append(" ", el("span", "reason", `Reason: ${fix.reason}`));
    return line;
  }

  function renderCategory(section, cat) {
    section.className = "category";
    if (cat.announced) section.classList.add("announced");
    if (cat.corrected_at) section.classList.add("corrected");
    if (!cat.competitive) section.classList.add("honorary");
    section.dataset.revision = cat.revision;

    const whenLine = section.querySelector(".when");
    for (const old of section.querySelectorAll(":scope > .result, :scope > .correction")) old.remove();
    if (cat.announced) whenLine.before(resultLine(cat));
    if (cat.corrected_at) whenLine.after(correctionLine(cat));

    const when = [];
    if (cat.announced && cat.announced_at) when.push(timeEl(cat.announced_at), " ", agoEl(cat.announced_at));
    if (cat.tie) when.push(" ", el("span", "badge tie", "Tie"));
    if (cat.precursor.status === "upset") when.push(" ", el("span", "badge upset", "Upset"));
    else if (cat.precursor.status === "held") when.push(" ", el("span", "badge held", "As predicted"));
    whenLine.replaceChildren(...when);

    const list = section.querySelector(".nominees");
    const ids = cat.nominations.map((n) => String(n.id)).join(",");
    if ([...list.children].map((li) => li.dataset.nomination).join(",") !== ids) {
      list.replaceChildren(...cat.nominations.map((n) => nomineeItem(n, cat.film_level)));
    }
    cat.nominations.forEach((n, i) => list.children[i].classList.toggle("winner", n.won));

    const precursor = section.querySelector(".precursor");
    precursor.className = `precursor precursor-${cat.precursor.status}`;
    precursor.textContent = cat.precursor.summary;
    precursor.hidden = !cat.precursor.summary;

    renderTrack(section, cat);
    renderOdds(section, cat, current);
    renderSeason(section, cat);

    // The editor's note published with the result.
    let note = section.querySelector(".result-note");
    if (!note) section.append((note = el("p", "result-note")));
    note.textContent = cat.note || "";
    note.hidden = !cat.note;

    // A result's own page and share card (docs/sharing.md), once there is a result.
    const share = section.querySelector(".share");
    if (share) share.hidden = !cat.announced;
  }

  // The Globes' record in this category before tonight, and how big its upset is (the
  // snapshot's precursor.track and precursor.grade; docs/archive.md, *Track records and upsets*).
  function renderTrack(section, cat) {
    let line = section.querySelector(".track");
    if (!line) section.querySelector(".precursor").after((line = el("p", "track")));
    const { track, grade } = cat.precursor;
    line.className = grade ? `track grade-${grade.level}` : "track";
    const parts = grade && grade.level !== "unrated" ? [el("strong", "grade", `${grade.label}.`), " "] : [];
    line.replaceChildren(...parts, track ? track.text : "");
    line.hidden = !track && !(grade && grade.level !== "unrated");
  }

  // Each precursor body's winner and verdict, where two bodies or more precede the category
  // (the snapshot's season; ceremony_tags.season_bodies writes the same on the server).
  const VERDICT_WORDS = { held: "won", upset: "lost", no_call: "not nominated here", pending: "" };
  function renderSeason(section, cat) {
    let line = section.querySelector(".season-line");
    if (!line) section.querySelector(".track").after((line = el("p", "season-line muted")));
    const bodies = (cat.season && cat.season.bodies) || [];
    const names = new Map(
      cat.nominations.map((n) => [n.id, cat.film_level || !n.nominee ? n.film : n.nominee]),
    );
    line.textContent = bodies.length < 2 ? "" : bodies.map(([body, winners, verdict]) => {
      const labels = winners.map((w) => {
        if (typeof w === "number") return names.get(w) || "";
        return /^tt\d+$/.test(w) ? "a film not in the Oscars" : w;
      });
      let words = VERDICT_WORDS[verdict] || "";
      if (verdict === "no_call" && winners.some((w) => typeof w !== "number")) {
        words = "not nominated here or cannot tell";
      }
      return `${body}: ${labels.join(" / ") || "—"}${words ? ` (${words})` : ""}`;
    }).join(" · ");
    line.hidden = bodies.length < 2;
  }

  // "3 upsets in 10 categories; an average night since 2000 had 2.1 by now."
  function renderPace(s) {
    const line = byId("upset-pace");
    if (!line) return;
    const text = (s.globes && s.globes.pace_text) || "";
    line.textContent = text;
    line.hidden = !text;
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
  }

  // One short sentence per new winner, correction or withdrawal; never the page. A category
  // written with the same result (a note saved, the running order moved) is no correction: only
  // its new note is read out.
  const winnerIds = (cat) => cat.winners.map((w) => w.id).sort((a, b) => a - b).join(",");

  function announcements(previous, s) {
    const before = new Map(previous.categories.map((c) => [c.slug, c]));
    const sentences = [];
    for (const cat of s.categories) {
      const old = before.get(cat.slug);
      if (!old || old.revision === cat.revision) continue;
      if (winnerIds(old) === winnerIds(cat) && old.corrected_at === cat.corrected_at) {
        if (cat.note && cat.note !== old.note) sentences.push(`${cat.name}, note: ${cat.note}`);
        continue;
      }
      const winners = joinTeams(cat.winners.map((w) => w.headline || w.label));
      const was = cat.correction && cat.correction.was && cat.correction.was.length
        ? `, was ${joinTeams(cat.correction.was)}` : "";
      let sentence;
      if (!cat.winners.length) sentence = `${cat.name}: result withdrawn${was}.`;
      else if (old.winners.length || cat.corrected_at !== old.corrected_at) {
        sentence = `Correction: ${cat.name} is now ${winners}${was}.`;
      } else sentence = `${cat.name}: ${winners}${cat.tie ? ", a tie" : ""}.`;
      if (cat.winners.length && cat.precursor.status === "upset" && old.precursor.status !== "upset") {
        sentence += ` Upset over ${joinTeams(cat.precursor.lost || [])}.`;
      }
      sentences.push(sentence);
    }
    return sentences;
  }

  // In a background tab the title carries the newest result.
  function renderTitle(s) {
    const newest = s.latest[0];
    if (!document.hidden || !newest) {
      document.title = pageTitle;
      return;
    }
    const who = joinTeams(newest.headlines || newest.winners) || "result withdrawn";
    document.title = `${newest.name}: ${who} · ${s.ceremony.name}`;
  }

  function apply(s) {
    const previous = current;
    current = s;
    root.dataset.version = s.version;
    lastUpdate = new Date();
    renderHead(s);
    renderPace(s);
    renderLatest(s);
    renderTallies(s);
    renderPeople(s);
    renderCategories(s, previous);
    renderForecastBallot(s);
    const sentences = announcements(previous, s);
    if (sentences.length) announcer.textContent = sentences.join(" ");
    renderTitle(s);
    renderCountdown();
    showConnection();
    if (s.ceremony.status === "final") finish();
    // For other scripts on the page (ballot.js), after the page shows this snapshot.
    document.dispatchEvent(new CustomEvent("tracker:snapshot", { detail: s }));
  }

  // A finished show needs no socket: the page is its archive from now on.
  function finish() {
    if (finished) return;
    finished = true;
    if (stream) stream.stop();
    connection.hidden = true;
    renderStatus();
  }

  function showConnection() {
    renderStatus();
    if (finished || !stream) return;
    const { live, failures, offlineSince, lastContact } = stream.status();
    const offline = !live && (!navigator.onLine || failures >= OFFLINE_AFTER_FAILURES);
    const state = live ? "live" : offline ? "offline" : "reconnecting";
    const updated = `last update ${clock.format(lastUpdate)} (${ago(lastUpdate.toISOString())})`;
    const since = clock.format(offlineSince || lastContact);
    // Before the show the page is connected, not "Live": the badge says "Not started".
    const draft = current.ceremony.status === "draft";
    const text = {
      live: draft ? "Connected: results appear here the moment they are announced." : `Live · ${updated}`,
      reconnecting: `Not live since ${since}: reconnecting… Results announced meanwhile will appear. · ${updated}`,
      offline: `Not live since ${since}: no connection${navigator.onLine ? " to the server" : ""}. Results announced meanwhile will appear when it is back. · ${updated}`,
    }[state];
    connection.dataset.state = state;
    if (connection.textContent !== text) connection.textContent = text;
  }

  // Before the show: when it starts in the reader's own time zone, and how long until then
  // (ticking each second); with no start time, the day and how many days until then.
  // In the reader's own zone, worded as the server words dates on the same page ("Sunday 2
  // March 2025", "Sunday 2 March 2025, 4:00 PM PST"): one page, one date format.
  const dayParts = { weekday: "long", day: "numeric", month: "long", year: "numeric" };
  const timeParts = { hour: "numeric", minute: "2-digit", timeZoneName: "short" };
  function readerDate(date, withTime) {
    const format = new Intl.DateTimeFormat("en-US", withTime ? { ...dayParts, ...timeParts } : dayParts);
    const p = Object.fromEntries(format.formatToParts(date).map((part) => [part.type, part.value]));
    const day = `${p.weekday} ${p.day} ${p.month} ${p.year}`;
    return withTime ? `${day}, ${p.hour}:${p.minute} ${p.dayPeriod} ${p.timeZoneName}` : day;
  }
  let countdownFor = null;

  function renderCountdown() {
    const starts = byId("starts");
    if (!starts) return;
    starts.hidden = current.ceremony.status !== "draft";
    const at = current.ceremony.starts_at;
    const key = `${current.ceremony.status} ${at} ${current.ceremony.date}`;
    if (starts.hidden || countdownFor === key) return;
    countdownFor = key;
    if (at) {
      const time = el("time", "", readerDate(new Date(at), true));
      time.dateTime = at;
      const strong = el("strong");
      strong.append(time);
      starts.replaceChildren("The show starts ", strong, " (your time)", el("span", "countdown"));
      tickCountdown();
      return;
    }
    const day = new Date(`${current.ceremony.date}T12:00:00`);
    const today = new Date();
    today.setHours(12, 0, 0, 0);
    const days = Math.round((day - today) / 86400000);
    const when = days > 1 ? `in ${days} days` : days === 1 ? "tomorrow" : days === 0 ? "today" : "";
    const date = readerDate(day, false);
    const strong = el("strong", "", date);
    starts.replaceChildren("The show is on ", strong, when ? `, ${when}.` : ".");
  }

  // "in 3 days, 4 h", "in 2 h 05 min", "in 4 min 09 s", "any moment now".
  function untilText(ms) {
    if (ms <= 0) return ", any moment now.";
    const s = Math.floor(ms / 1000);
    const days = Math.floor(s / 86400);
    const hours = Math.floor((s % 86400) / 3600);
    const minutes = Math.floor((s % 3600) / 60);
    const pad = (n) => String(n).padStart(2, "0");
    if (days) return `, in ${days} day${days === 1 ? "" : "s"}, ${hours} h.`;
    if (hours) return `, in ${hours} h ${pad(minutes)} min.`;
    return `, in ${minutes} min ${pad(s % 60)} s.`;
  }

  function tickCountdown() {
    const countdown = document.querySelector("#starts .countdown");
    const at = current.ceremony.starts_at;
    if (!countdown || !at || current.ceremony.status !== "draft") return;
    const text = untilText(new Date(at).getTime() - Date.now());
    if (countdown.textContent !== text) countdown.textContent = text;
  }

  document.addEventListener("visibilitychange", () => renderTitle(current));
  // Every 2 s: the connection line and its times.
  setInterval(showConnection, 2000);
  setInterval(refreshAgo, 30000);
  setInterval(tickCountdown, 1000);

  refreshAgo();
  renderCountdown();
  if (current.ceremony.status === "final") {
    finish();
  } else {
    connection.dataset.state = "reconnecting";
    connection.textContent = "Connecting…";
    stream = followCeremony({
      socketPath: root.dataset.socket,
      apiUrl: root.dataset.api,
      initial: current,
      onSnapshot: apply,
      onConnection: showConnection,
    });
  }
})();
