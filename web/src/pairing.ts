// Pairing's figures as the pages show them (结对帮扶): a cadre's load against quota, the
// assignment proposal's counts, overdue visits grouped per cadre, village or township, and months
// of a work team's days on post under the plan's minimum. Pure functions, tested in pairing.test.ts.

// A cadre's load against its quota: the share (0..100, capped for the bar) and whether over.
export interface LoadShown { percent: number; over: boolean; full: boolean; text: string }
export function loadOf(load: number, quota: number): LoadShown {
  const q = Math.max(0, quota);
  const percent = q === 0 ? (load > 0 ? 100 : 0) : Math.min(100, Math.round((load * 100) / q));
  return { percent, over: load > q, full: load === q && q > 0, text: `${load} / ${q}` };
}

// The load filter of the cadres page.
export type LoadFilter = '' | 'over' | 'full' | 'free' | 'none';
export function matchesLoad(load: number, quota: number, filter: LoadFilter): boolean {
  switch (filter) {
    case 'over': return load > quota;
    case 'full': return load >= quota;
    case 'free': return load < quota;
    case 'none': return load === 0;
    default: return true;
  }
}

// A proposal's counts: new pairs (of which in the household's own township), households that
// cannot be covered by reason, and households that keep their cadre.
export interface ProposalLike {
  pairs: { household_code: string; cadre_id: number; same_township?: boolean }[];
  uncovered: { household_code: string; reason: string }[];
  kept: number;
}
export interface ProposalCounts { pairs: number; sameTownship: number; otherTownship: number; uncovered: number; noCadre: number; noCapacity: number; kept: number; cadres: number }
export function proposalCounts(p: ProposalLike): ProposalCounts {
  const same = p.pairs.filter((x) => x.same_township).length;
  const noCadre = p.uncovered.filter((u) => u.reason === 'no_cadre').length;
  return {
    pairs: p.pairs.length,
    sameTownship: same,
    otherTownship: p.pairs.length - same,
    uncovered: p.uncovered.length,
    noCadre,
    noCapacity: p.uncovered.length - noCadre,
    kept: p.kept,
    cadres: new Set(p.pairs.map((x) => x.cadre_id)).size,
  };
}

// The proposal's new pairs per cadre (a cadre takes several households), by cadre name then id.
export function pairsByCadre<T extends { cadre_id: number; cadre_name?: string; household_code: string }>(pairs: T[]): { cadre_id: number; cadre_name: string; households: T[] }[] {
  const groups = new Map<number, { cadre_id: number; cadre_name: string; households: T[] }>();
  for (const p of pairs) {
    let g = groups.get(p.cadre_id);
    if (!g) groups.set(p.cadre_id, (g = { cadre_id: p.cadre_id, cadre_name: p.cadre_name ?? String(p.cadre_id), households: [] }));
    g.households.push(p);
  }
  return [...groups.values()].sort((a, b) => a.cadre_name.localeCompare(b.cadre_name, 'zh-CN') || a.cadre_id - b.cadre_id);
}

// Overdue households grouped per cadre, village (12 digits) or township (the village's first 9),
// most households first, then by key; each group's households most overdue first.
export type OverdueBy = 'cadre' | 'village' | 'township';
export interface OverdueLike { household_code: string; division_code?: string; cadre_id: number; cadre_name?: string; days_overdue: number }
export interface OverdueGroup<T> { key: string; label: string; households: T[]; maxDays: number }
export function groupOverdue<T extends OverdueLike>(households: T[], by: OverdueBy, name: (code: string) => string = (c) => c): OverdueGroup<T>[] {
  const groups = new Map<string, OverdueGroup<T>>();
  for (const h of households) {
    const division = h.division_code ?? '';
    const key = by === 'cadre' ? String(h.cadre_id) : by === 'village' ? division : division.slice(0, 9);
    let g = groups.get(key);
    if (!g) {
      const label = by === 'cadre' ? (h.cadre_name || `#${h.cadre_id}`) : name(key) || key;
      groups.set(key, (g = { key, label, households: [], maxDays: 0 }));
    }
    g.households.push(h);
    g.maxDays = Math.max(g.maxDays, h.days_overdue);
  }
  const out = [...groups.values()];
  for (const g of out) g.households.sort((a, b) => b.days_overdue - a.days_overdue || a.household_code.localeCompare(b.household_code));
  return out.sort((a, b) => b.households.length - a.households.length || a.key.localeCompare(b.key));
}

// The months shown for days on post: the `count` months ending with the month of `on`
// (YYYY-MM-DD), oldest first, as YYYY-MM.
export function monthsEnding(on: string, count: number): string[] {
  let year = Number(on.slice(0, 4));
  let month = Number(on.slice(5, 7));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(`${year}-${String(month).padStart(2, '0')}`);
    if (--month === 0) { month = 12; --year; }
  }
  return out.reverse();
}

// Days in a month YYYY-MM (the most days on post one may record).
export function daysInMonth(month: string): number {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

// A month's days on post: short when recorded below the minimum; a month not recorded is unknown
// (not short: nothing says the member was away).
export function onPostState(days: number | null | undefined, min: number): 'short' | 'ok' | 'unknown' {
  if (days === null || days === undefined) return 'unknown';
  return days < min ? 'short' : 'ok';
}

// A visit's distance from the household's recorded place, for people: "850 m", "12.3 km".
export function distanceText(metres: number | null | undefined): string {
  if (metres === null || metres === undefined) return '–';
  if (metres < 1000) return `${Math.round(metres)} m`;
  return `${(metres / 1000).toFixed(metres < 10000 ? 1 : 0)} km`;
}

// The field page's link to record a visit for a household.
export function recordVisitLink(householdCode: string): string {
  return '/field?household=' + encodeURIComponent(householdCode);
}

// A days-on-post record's month as YYYY-MM, whether it says "month": "2017-03" or year and month.
export function monthKey(x: { month?: string | number; year?: number }): string {
  if (typeof x.month === 'string') return x.month.slice(0, 7);
  if (typeof x.year === 'number' && typeof x.month === 'number') return `${x.year}-${String(x.month).padStart(2, '0')}`;
  return '';
}
