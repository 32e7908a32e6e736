// How times and dates are shown to a person: always Beijing time (Asia/Shanghai, UTC+8),
// whatever the browser's own zone, since the county, its records and its notices live in it.
// The server stores and sends times in UTC (ISO 8601 with Z or an offset), dates as YYYY-MM-DD.

const zone = 'Asia/Shanghai';

// "2017-03-01 16:05" in Beijing time; '' for empty input; the input itself when it is not a time.
export function beijingTime(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '';
  // A bare "YYYY-MM-DD HH:MM:SS" without zone is the server's UTC (SQLite's datetime()).
  const normal = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(iso) ? iso.replace(' ', 'T') + 'Z' : iso;
  const d = new Date(normal);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    second: withSeconds ? '2-digit' : undefined, hourCycle: 'h23',
  }).formatToParts(d);
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? '';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}` + (withSeconds ? `:${p('second')}` : '');
}

// Today's date in Beijing (YYYY-MM-DD): a county's "today" turns at midnight UTC+8, not UTC.
export function beijingToday(now: Date = new Date()): string {
  return beijingTime(now.toISOString()).slice(0, 10);
}
