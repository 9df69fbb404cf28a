// The live desk: show what other editors do without a reload.
//
// The readers' websocket says when the ceremony's version moves on; the desk then fetches its own
// page again and swaps in the categories that changed. The server renders every row, so there is
// one template for a row, not a second one here. A category the editor is in the middle of
// (something chosen or typed) is never swapped under their hands: it is marked as changed, and
// the service refuses their stale form anyway.
import { backoff, byId, el, versionOf } from "./dom.js";

(() => {
  const desk = byId("desk");
  if (!desk) return;

  const POLL_MS = 5000;
  let version = Number(desk.dataset.version);
  let socketOpen = false;
  let failures = 0;
  let refreshing = false;
  let again = false;

  function say(text) {
    // Looked up each time: a refresh may have replaced the status bar holding it.
    const connection = desk.querySelector("[data-connection]");
    if (connection) connection.textContent = text;
  }

  // Something the editor chose or typed, as against what the page came with (a saved note); or,
  // in a category, a refused form given back as it was filled, still to be sent again.
  function isBusy(row) {
    if (row.matches(".desk-category") && row.querySelector("form[data-refused]")) return true;
    return Array.from(row.querySelectorAll("input")).some(
      (input) =>
        ((input.type === "radio" || input.type === "checkbox") &&
          input.checked !== input.defaultChecked) ||
        (input.type === "text" && input.value.trim() !== input.defaultValue.trim()),
    );
  }

  function markChanged(row, fresh) {
    row.classList.add("desk-changed");
    let notice = row.querySelector(".desk-changed-notice");
    if (!notice) {
      notice = el("div", "desk-changed-notice");
      notice.setAttribute("role", "status");
      row.insertBefore(notice, row.children[1] || null);
    }
    const result = fresh.querySelector(".desk-result .desk-winners");
    notice.replaceChildren();
    const text = el("p");
    text.textContent =
      `Changed by another editor (now revision ${fresh.dataset.revision}): ` +
      (result ? `recorded now: ${result.textContent.trim()}.` : "not announced now.") +
      " Your form here is out of date and would be refused.";
    const button = el("button", "", "Show the update");
    button.type = "button";
    button.addEventListener("click", () => {
      const replacement = document.importNode(fresh, true);
      row.replaceWith(replacement);
      const first = replacement.querySelector("input:not([type=hidden]), summary");
      if (first) first.focus();
    });
    notice.append(text, button);
  }

  function apply(freshDesk) {
    const list = desk.querySelector(".desk-categories");
    const focused = document.activeElement;
    const rows = [];
    for (const fresh of freshDesk.querySelectorAll(".desk-category")) {
      const row = byId(fresh.id);
      const busy = row && isBusy(row);
      if (row && row.dataset.revision === fresh.dataset.revision) {
        // Same result; only its place may have changed (e.g. it is the next one now).
        if (busy) {
          row.classList.toggle("desk-next", fresh.classList.contains("desk-next"));
          rows.push(row);
        } else {
          rows.push(
            row.className === fresh.className ? row : document.importNode(fresh, true),
          );
        }
      } else if (busy) {
        markChanged(row, fresh);
        rows.push(row);
      } else {
        rows.push(document.importNode(fresh, true));
      }
    }
    const current = Array.from(list.children);
    if (current.length !== rows.length || current.some((row, i) => row !== rows[i])) {
      list.replaceChildren(...rows);
    }

    const status = desk.querySelector(".desk-status");
    const freshStatus = freshDesk.querySelector(".desk-status");
    if (status && freshStatus && !isBusy(status)) {
      status.replaceWith(document.importNode(freshStatus, true));
    }
    version = Number(freshDesk.dataset.version);
    desk.dataset.version = String(version);
    say(socketOpen ? "live updates: on" : "live updates: reconnecting");

    // Moving nodes drops the focus: give it back, or, if the editor's row was replaced,
    // carry on at the next category.
    if (focused && focused !== document.body && focused !== document.activeElement) {
      if (focused.isConnected) {
        focused.focus({ preventScroll: true });
      } else {
        const next = desk.querySelector(".desk-next input[type=radio]");
        if (next) next.focus();
      }
    }
  }

  // --- the answer where the editor's eyes are -------------------------------------------------
  // The sticky bar holds the status and the message of the last action. Whatever the page
  // scrolls to (a category after a move or a refused form, the next nominee's focus) stops
  // just below it, never under it.
  const bar = desk.querySelector(".desk-bar");

  function fitBelowBar() {
    const height = bar ? Math.ceil(bar.getBoundingClientRect().height) : 0;
    document.documentElement.style.setProperty("--desk-bar-height", `${height}px`);
  }

  // After an action on a category (a correction, a withdrawal, a note, a move, a refused form)
  // the page comes back at that category, and so does the keyboard focus: on the refused form's
  // choice or first field, else on the category's line or heading. Not on the page body, where
  // Chrome's own move to the #category-N fragment leaves it (the row itself takes no focus),
  // sending a keyboard user through the admin header to get back; so it is given again once
  // the page has loaded, after that move.
  let focusGiven = false;

  function focusCategory(row) {
    const refused = row.querySelector("form[data-refused]");
    const field =
      refused &&
      (refused.querySelector("input:checked:not([type=hidden])") ||
        refused.querySelector("input:not([type=hidden]):not(:disabled)"));
    const target = field || row.querySelector("summary.desk-line") || row.querySelector("h2");
    if (!target) return;
    if (target.tagName === "H2") target.tabIndex = -1;
    target.focus({ preventScroll: true });
    const box = target.getBoundingClientRect();
    if (box.bottom > window.innerHeight) target.scrollIntoView({ block: "nearest" });
  }

  function showTarget() {
    fitBelowBar();
    const target = window.location.hash ? document.querySelector(window.location.hash) : null;
    if (target && target.classList.contains("desk-category")) {
      target.scrollIntoView({ block: "start" });
      focusCategory(target);
    } else if (bar && bar.querySelector("form[data-refused]") && !focusGiven) {
      // A refused reopening: back on its reason.
      focusGiven = true;
      bar.querySelector("form[data-refused] input[name=reason]").focus();
    } else if (document.activeElement && document.activeElement !== document.body) {
      // Autofocus scrolled before the bar's height was known: bring the focus out from under.
      const box = document.activeElement.getBoundingClientRect();
      const barBottom = bar ? bar.getBoundingClientRect().bottom : 0;
      if (box.top < barBottom || box.bottom > window.innerHeight) {
        document.activeElement.scrollIntoView({ block: "center" });
      }
    }
  }

  for (const checked of desk.querySelectorAll(".desk-record input[type=radio]:checked")) {
    checked.dispatchEvent(new Event("change", { bubbles: true }));
  }

  if (bar && "ResizeObserver" in window) new ResizeObserver(fitBelowBar).observe(bar);

  // --- confirmations and suggested notes (delegated: rows and the bar are swapped in) ------------
  desk.addEventListener("submit", (event) => {
    const text = event.target.dataset.confirm;
    if (text && !window.confirm(text)) event.preventDefault();
  });

  desk.addEventListener("change", (event) => {
    const input = event.target;
    if (input.type !== "radio" || !input.closest(".desk-record")) return;
    const form = input.closest("form");
    const box = form.querySelector("[data-suggestion]");
    if (!box) return;
    const text = input.dataset.suggest || "";
    box.querySelector("[data-suggestion-text]").textContent = text;
    box.hidden = !text;
  });

  desk.addEventListener("click", (event) => {
    const button = event.target.closest("[data-use-suggestion]");
    if (!button) return;
    const form = button.closest("form");
    const note = form.querySelector("input[name=note]");
    note.value = form.querySelector("[data-suggestion-text]").textContent;
    note.focus();
  });

  async function refresh() {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    try {
      const response = await fetch(window.location.pathname, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      if (!response.ok) throw new Error(`desk answered ${response.status}`);
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const freshDesk = doc.getElementById("desk");
      if (freshDesk && Number(freshDesk.dataset.version) > version) apply(freshDesk);
    } catch (error) {
      say("live updates: could not refresh, retrying");
      setTimeout(refresh, POLL_MS);
    } finally {
      refreshing = false;
      if (again) {
        again = false;
        refresh();
      }
    }
  }

  function seen(newVersion) {
    if (Number.isFinite(newVersion) && newVersion > version) refresh();
  }

  function connect() {
    if (!("WebSocket" in window)) return;
    const url = new URL(desk.dataset.socket, window.location.href);
    url.protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(url);
    socket.addEventListener("open", () => {
      socketOpen = true;
      failures = 0;
      say("live updates: on");
    });
    socket.addEventListener("message", (event) => {
      const version = versionOf(event);
      if (version !== null) seen(version);
    });
    socket.addEventListener("close", () => {
      socketOpen = false;
      say("live updates: reconnecting");
      // Backoff with jitter, so a restarted server is not hit by every desk at once.
      failures += 1;
      setTimeout(connect, backoff(failures));
    });
  }

  // While the socket is down, the JSON API (a cheap 304 when nothing changed) still tells us.
  setInterval(async () => {
    if (socketOpen) return;
    try {
      const response = await fetch(desk.dataset.api, { credentials: "same-origin" });
      if (response.ok) seen((await response.json()).version);
    } catch {
      // Offline: the next tick tries again.
    }
  }, POLL_MS);

  connect();
  showTarget();
  // Fonts and late layout can still move things: check once more when the page has loaded.
  if (document.readyState !== "complete") window.addEventListener("load", showTarget, { once: true });
})();
