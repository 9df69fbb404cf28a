// The standings of a pool: the same pure function as ceremony/pools/scoring.py, line for line
// (tests/pools/test_scoring.py runs both on the same cases). See docs/pools.md.

const own = (object, key) => (object && Object.hasOwn(object, key) ? object[key] : undefined);
const isInt = (value) => Number.isInteger(value);

function hostPoints(rules, cat) {
  const value = own(rules.points || {}, cat.slug);
  if (value === undefined) return 1;
  return isInt(value) && value >= 0 ? value : 1;
}

// The most a right pick earns by the odds: a 1-in-20 shot or longer.
const ODDS_MOST = 20;

function oddsPoints(rules, cat) {
  const odds = new Map(cat.forecast || []);
  const chance = cat.winners.reduce((sum, w) => (odds.has(w.id) ? sum + odds.get(w.id) : sum), 0);
  if (!cat.winners.some((w) => odds.has(w.id))) return 1;
  // floor(x + 0.5), as the server's twin rounds: the same points on both sides.
  return chance > 0 ? Math.min(ODDS_MOST, Math.max(1, Math.floor(1 / chance + 0.5))) : ODDS_MOST;
}

// mode -> what a right pick in a category is worth.
export const MODES = { points: hostPoints, odds: oddsPoints };

export function offeredModes(snapshot) {
  const hasOdds = snapshot.categories.some((cat) => cat.forecast && cat.forecast.length);
  return Object.keys(MODES).filter((mode) => mode !== "odds" || hasOdds);
}

export function standings(rules, members, snapshot) {
  const worth = own(MODES, rules.mode) || hostPoints;
  const answer = rules.answer;
  const cats = [];
  for (const cat of snapshot.categories) {
    if (!cat.competitive) continue;
    cats.push({
      slug: cat.slug,
      ids: new Set(cat.nominations.map((n) => n.id)),
      winners: new Set(cat.winners.map((w) => w.id)),
      upset: cat.winners.length > 0 && cat.precursor.status === "upset",
      worth: worth(rules, cat),
      counts: new Map(),
      callers: [],
    });
  }
  const possible = cats.filter((c) => c.winners.size).reduce((sum, c) => sum + c.worth, 0);
  const rows = [];
  for (const member of members) {
    const picks = member.picks || {};
    let points = 0;
    let hits = 0;
    const upsets = [];
    for (const cat of cats) {
      const pick = own(picks, cat.slug);
      if (!isInt(pick) || !cat.ids.has(pick)) continue;
      cat.counts.set(pick, (cat.counts.get(pick) || 0) + 1);
      if (cat.winners.has(pick)) {
        hits += 1;
        points += cat.worth;
        if (cat.upset) {
          upsets.push(cat.slug);
          cat.callers.push(member.id);
        }
      }
    }
    const guess = member.tiebreak;
    const off = isInt(guess) && isInt(answer) ? Math.abs(guess - answer) : null;
    rows.push({ id: member.id, name: member.name, points, hits, upsets, off });
  }
  rows.sort((a, b) => b.points - a.points || b.hits - a.hits
    || (a.off === null) - (b.off === null) || (a.off || 0) - (b.off || 0) || a.id - b.id);
  let previous = null;
  rows.forEach((row, index) => {
    const same = previous && previous.points === row.points && previous.hits === row.hits
      && previous.off === row.off;
    row.rank = same ? previous.rank : index + 1;
    previous = row;
  });
  const categories = cats.map((cat) => {
    const most = Math.max(0, ...cat.counts.values());
    return {
      slug: cat.slug,
      popular: [...cat.counts].filter(([, n]) => n === most && most).map(([id]) => id).sort((a, b) => a - b),
      count: most,
      picked: [...cat.counts.values()].reduce((sum, n) => sum + n, 0),
      callers: cat.callers,
    };
  });
  return { possible, rows, categories };
}
