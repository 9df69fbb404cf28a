// A ceremony's versions as they come, for the reader's page (live.js) and the embed
// (../sharing/embed.js): the websocket's snapshot and delta frames applied in order, a gap or a
// reconnect filled from the API first, a silent socket counted as lost, reconnects with dom.js's
// backoff (docs/protocol.md, *The client*).
import { backoff, messageOf, patched } from "./dom.js";

// The server sends a heartbeat every 4 s (fanout.HEARTBEAT_SECONDS). Nothing at all for this
// long (a heartbeat missed and the next one over a second late) and the connection counts as
// lost: a server gone, or a network black-holed, which neither the socket nor the browser
// reports.
const SILENCE_MS = 9000;
// A connection attempt not open by then counts as failed: as long as the server waits for a
// handshake (Daphne's --websocket_connect_timeout), so that one queued behind a reconnect storm
// is served, not given up and tried again (docs/protocol.md, *Silence*).
const OPENING_MS = 20000;

// Follows the ceremony from `initial` (the snapshot the page was rendered from; null: the first
// snapshot the socket sends). `onSnapshot(snapshot)` for each newer version, `onConnection()` when
// the connection changes (with `status()`, which says how it stands); a final ceremony stops it.
export function followCeremony({ socketPath, apiUrl, initial = null, onSnapshot, onConnection = () => {} }) {
  let current = initial;
  let applied = initial ? initial.version : null;
  let socket = null;
  let opened = false;
  let failures = 0;
  let offlineSince = null;
  // When the page last knew it was connected: a frame, or the socket opening.
  let lastContact = new Date();
  let reconnectTimer = null;
  let silenceTimer = null;
  // A heartbeat's version newer than the one shown: fetched if the next heartbeat says so too.
  let behind = false;
  let stopped = false;
  let syncing = null;
  let pending = [];

  function apply(snapshot) {
    current = snapshot;
    applied = snapshot.version;
    onSnapshot(snapshot);
    if (snapshot.ceremony.status === "final") stop();
  }

  // --- versions: apply the next one; on a gap or after a reconnect, fetch the API first ---------

  const newer = (version) => applied === null || version > applied;
  // A frame is `{type: "snapshot", snapshot}` or `{type: "delta", base, version, changes}`.
  const frameVersion = (frame) => (frame.type === "delta" ? frame.version : frame.snapshot.version);
  // Does the frame follow the version shown? A delta only from its base; nothing shown yet, the
  // connect snapshot.
  const follows = (frame) =>
    frame.type === "delta"
      ? frame.base === applied
      : applied === null || frame.snapshot.version === applied + 1;
  // A delta applies to the very state shown, never to another.
  const stateOf = (frame) => (frame.type === "delta" ? patched(current, frame.changes) : frame.snapshot);

  function receive(frame) {
    if (syncing) {
      pending.push(frame);
    } else if (!newer(frameVersion(frame))) {
      // Already shown (or older): nothing to do.
    } else if (follows(frame)) {
      apply(stateOf(frame));
    } else {
      resync(frame);
    }
  }

  function resync(gapFrame) {
    if (gapFrame) pending.push(gapFrame);
    if (syncing) return;
    syncing = fetch(apiUrl, { cache: "no-cache", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((fresh) => {
        if (newer(fresh.version)) apply(fresh);
      })
      .catch(() => {
        // A whole snapshot is a complete state: the newest one waiting will do.
        const newest = pending
          .filter((frame) => frame.type === "snapshot")
          .reduce((a, b) => (b.snapshot.version > (a ? a.snapshot.version : -1) ? b : a), null);
        if (newest && newer(newest.snapshot.version)) apply(newest.snapshot);
      })
      .finally(() => {
        syncing = null;
        const waiting = pending.sort((a, b) => frameVersion(a) - frameVersion(b));
        pending = [];
        // What follows the version now shown, in order; a whole snapshot newer still is complete
        // too. A delta from any other base is dropped: the next two heartbeats then say the page
        // is behind, and it fetches again.
        for (const frame of waiting) {
          if (stopped) break;
          if (newer(frameVersion(frame)) && (frame.type === "snapshot" || follows(frame))) {
            apply(stateOf(frame));
          }
        }
      });
  }

  // --- the socket: reconnect with exponential backoff and jitter -------------------------------

  function connect() {
    clearTimeout(reconnectTimer);
    reconnectTimer = null;
    if (stopped) return;
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${scheme}//${location.host}${socketPath}`);
    socket = ws;
    behind = false;
    expectContact(OPENING_MS);
    ws.addEventListener("open", () => {
      if (socket !== ws) return;
      const reconnected = opened;
      opened = true;
      failures = 0;
      offlineSince = null;
      lastContact = new Date();
      expectContact();
      onConnection(status());
      if (reconnected) resync();
    });
    ws.addEventListener("message", (event) => {
      if (socket !== ws) return;
      lastContact = new Date();
      expectContact();
      const message = messageOf(event);
      if (!message) return;
      if ((message.type === "snapshot" && message.snapshot) || message.type === "delta") receive(message);
      else if (message.type === "heartbeat") heartbeat(message.version);
    });
    ws.addEventListener("close", () => {
      if (socket !== ws) return;
      lost();
    });
  }

  // Any frame (a snapshot or a heartbeat) or the socket opening: the connection is alive for
  // SILENCE_MS more (an attempt: OPENING_MS to open); after that with nothing from the server,
  // it is lost.
  function expectContact(patience = SILENCE_MS) {
    clearTimeout(silenceTimer);
    const ws = socket;
    silenceTimer = setTimeout(() => {
      if (socket === ws && ws) lost();
    }, patience);
  }

  // The server is there, and at this version: a version still newer than the one shown a tick
  // later (not a push on its way) was missed, so fetch it.
  function heartbeat(version) {
    if (!newer(version)) {
      behind = false;
    } else if (behind) {
      behind = false;
      resync();
    } else {
      behind = true;
    }
  }

  // The connection is gone (closed, silent, or the browser lost the network): say so at once,
  // from the last moment the page knew it was connected, and try again.
  function lost() {
    const ws = socket;
    socket = null;
    clearTimeout(silenceTimer);
    if (ws && ws.readyState < WebSocket.CLOSING) ws.close();
    if (stopped) return;
    failures += 1;
    if (!offlineSince) offlineSince = lastContact;
    if (!reconnectTimer) reconnectTimer = setTimeout(connect, backoff(failures));
    onConnection(status());
  }

  function stop() {
    if (stopped) return;
    stopped = true;
    clearTimeout(reconnectTimer);
    clearTimeout(silenceTimer);
    const ws = socket;
    socket = null;
    if (ws) ws.close();
  }

  function status() {
    const live = Boolean(socket && socket.readyState === WebSocket.OPEN && navigator.onLine);
    return { live, failures, offlineSince, lastContact, stopped };
  }

  window.addEventListener("online", () => {
    if (!socket && !stopped) connect();
    onConnection(status());
  });
  window.addEventListener("offline", () => {
    if (socket) lost();
    else onConnection(status());
  });
  // A socket the browser still calls open while it reports no network counts as lost.
  setInterval(() => {
    if (socket && !navigator.onLine) lost();
  }, 2000);

  if (!initial || initial.ceremony.status !== "final") connect();
  else stopped = true;
  return { stop, status };
}
