// A ceremony's versions as they come, for a page other than the reader's own (the embed):
// the websocket's snapshot and delta frames (docs/protocol.md), a gap filled from the API, a
// silent socket counted as lost, reconnects with dom.js's backoff. The same frames and the same
// `patched` as live.js, whose page keeps its own loop (it also renders connection times).
import { backoff, messageOf, patched } from "./dom.js";

// As live.js: a heartbeat comes every 4 s; an attempt may wait as long as the server does.
const SILENCE_MS = 9000;
const OPENING_MS = 20000;

export function followCeremony({ socketPath, apiUrl, onSnapshot, onConnection = () => {} }) {
  let current = null;
  let socket = null;
  let failures = 0;
  let behind = false;
  let syncing = false;
  let silence = null;
  let stopped = false;

  function apply(snapshot) {
    if (current && snapshot.version <= current.version) return;
    current = snapshot;
    onSnapshot(snapshot);
    if (snapshot.ceremony.status === "final") stop();
  }

  function resync() {
    if (syncing) return;
    syncing = true;
    fetch(apiUrl, { cache: "no-cache", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((snapshot) => snapshot && apply(snapshot))
      .catch(() => {})
      .finally(() => {
        syncing = false;
      });
  }

  function receive(message) {
    if (message.type === "snapshot" && message.snapshot) {
      apply(message.snapshot);
    } else if (message.type === "delta") {
      // A delta applies only to the version it was made from; any other gap is fetched.
      if (current && message.base === current.version) apply(patched(current, message.changes));
      else if (!current || message.version > current.version) resync();
    } else if (message.type === "heartbeat") {
      // Newer than shown two heartbeats in a row (not a push on its way): fetch it.
      if (!current || !(message.version > current.version)) behind = false;
      else if (behind) {
        behind = false;
        resync();
      } else behind = true;
    }
  }

  function expect(ws, patience = SILENCE_MS) {
    clearTimeout(silence);
    silence = setTimeout(() => socket === ws && lost(), patience);
  }

  function connect() {
    if (stopped) return;
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${scheme}//${location.host}${socketPath}`);
    socket = ws;
    behind = false;
    expect(ws, OPENING_MS);
    ws.addEventListener("open", () => {
      if (socket !== ws) return;
      failures = 0;
      expect(ws);
      onConnection(true);
    });
    // Every connect begins with the current snapshot: nothing to fetch after a reconnect.
    ws.addEventListener("message", (event) => {
      if (socket !== ws) return;
      expect(ws);
      const message = messageOf(event);
      if (message) receive(message);
    });
    ws.addEventListener("close", () => socket === ws && lost());
  }

  function lost() {
    const ws = socket;
    socket = null;
    clearTimeout(silence);
    if (ws && ws.readyState < WebSocket.CLOSING) ws.close();
    if (stopped) return;
    failures += 1;
    onConnection(false);
    setTimeout(connect, backoff(failures));
  }

  function stop() {
    stopped = true;
    clearTimeout(silence);
    const ws = socket;
    socket = null;
    if (ws) ws.close();
  }

  connect();
  return { stop };
}
