// What the page scripts (live.js, ballot.js, records.js, desk.js) share: small DOM helpers, the
// reading of a socket message and the one reconnect policy. An ES module, loaded by theirs.

// A new element, with its class name and its text when given.
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export const byId = (id) => document.getElementById(id);

// "A", "A and B", "A, B and C".
export function joinLabels(labels) {
  if (labels.length <= 1) return labels.join("");
  return `${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1]}`;
}

// A socket message, parsed (docs/protocol.md): `{type: "snapshot", snapshot}` or
// `{type: "heartbeat", version}`; null if it is not JSON.
export function messageOf(event) {
  try {
    return JSON.parse(event.data);
  } catch {
    return null;
  }
}

// The snapshot a socket message carries, or null for any other message (a heartbeat).
export function snapshotOf(event) {
  const message = messageOf(event);
  return message && message.type === "snapshot" && message.snapshot ? message.snapshot : null;
}

// Reconnecting: exponential back-off with full jitter. The wait after the n-th failure in a row
// (n = 1 for the first) is uniformly random between 0 and min(30 s, 1 s × 2ⁿ): 0-2 s, 0-4 s, …,
// capped at 0-30 s from the fifth on; so thousands of clients cut off together come back spread
// out, not in the same second. docs/protocol.md states it; tests/drills/common.py mirrors it.
const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 30000;

export function backoff(failures) {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(failures, 10));
  return Math.random() * ceiling;
}
