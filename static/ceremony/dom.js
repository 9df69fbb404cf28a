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

// Several winners in one line, each team kept whole (ceremony/text.py join_teams):
// ["A, B and C", "D and E"] -> "A, B and C; D and E"; single names as "A and B".
export function joinTeams(credits) {
  if (credits.some((c) => c.includes(", ") || c.includes(" and ") || c.includes(" & "))) {
    return credits.join("; ");
  }
  return joinLabels(credits);
}

// A socket message, parsed (docs/protocol.md): `{type: "snapshot", snapshot}`,
// `{type: "delta", base, version, changes}` or `{type: "heartbeat", version}`; null if it is not
// JSON.
export function messageOf(event) {
  try {
    return JSON.parse(event.data);
  } catch {
    return null;
  }
}

// The ceremony version a snapshot or delta message brings, or null for any other message.
export function versionOf(event) {
  const message = messageOf(event);
  if (!message) return null;
  if (message.type === "snapshot" && message.snapshot) return message.snapshot.version;
  return message.type === "delta" ? message.version : null;
}

// Reconnecting: exponential back-off with jitter. The wait after the n-th failure in a row
// (n = 1 for the first) is uniformly random between a quarter of min(30 s, 1 s × 2ⁿ) and all of
// it: 0.5-2 s, 1-4 s, 2-8 s, …, 7.5-30 s from the fifth on; so thousands of clients cut off
// together come back spread out, not in the same second, and none spends its attempts in a
// burst against a server still restarting (docs/performance.md, *The storm*). docs/protocol.md
// states it; tests/drills/common.py and tests/perf/storm_clients.py mirror it.
const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 30000;

export function backoff(failures) {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(failures, 10));
  return ceiling / 4 + Math.random() * (ceiling * 3) / 4;
}

// A delta's changes applied to the state they were made from (ceremony/realtime/deltas.py says
// how they are written): a new value, sharing what did not change with `old`, which is left as
// it was. `[value]` replaces; an object patches an object field by field (`[]` removes a field),
// or a list: `order` gives its items ([first, count]: a run of old items; [item]: a new one;
// [index, patch]: a new one, made from an old one), then `rows` patches the rows kept, by key.
export function patched(old, change) {
  if (Array.isArray(change)) return change[0];
  if (Array.isArray(old)) return patchedList(old, change);
  const next = { ...old };
  for (const [field, sub] of Object.entries(change)) {
    if (Array.isArray(sub) && sub.length === 0) delete next[field];
    else next[field] = patched(old[field], sub);
  }
  return next;
}

// The key of a row in a list of rows: its slug, id or kind (the first it has), as a string.
const IDENTITY = ["slug", "id", "kind"];

function rowKey(row) {
  if (row === null || typeof row !== "object") return undefined;
  const field = IDENTITY.find((name) => Object.hasOwn(row, name));
  return field === undefined ? undefined : String(row[field]);
}

function patchedList(old, { order, rows = {} }) {
  const next = [];
  const added = new Set();
  for (const part of order || [[0, old.length]]) {
    if (part.length === 2 && typeof part[1] === "number") {
      next.push(...old.slice(part[0], part[0] + part[1]));
    } else {
      added.add(next.length);
      next.push(part.length === 1 ? part[0] : patched(old[part[0]], part[1]));
    }
  }
  return next.map((row, i) => {
    const key = added.has(i) ? undefined : rowKey(row);
    return key !== undefined && Object.hasOwn(rows, key) ? patched(row, rows[key]) : row;
  });
}
