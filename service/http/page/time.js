// Times as the ward reads them: in the site's time zone (the `timezone` of GET /v1/session),
// whatever zone the PC's own clock is set to.

import { el } from './dom.js';

// Used until the session names the site's zone, and when it names none.
export const DEFAULT_TIME_ZONE = 'Europe/London';

const MS_PER_HOUR = 3600 * 1000;

export function parseTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

// Calendar arithmetic and wording in one IANA time zone. The constructor throws a
// RangeError when the browser does not know the zone.
export class SiteTime {
  constructor(zone) {
    this.zone = zone;
    const inZone = (options) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, ...options });
    this.partsFormat = inZone({ year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    this.timeFormat = inZone({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    this.dayFormat = inZone({ weekday: 'short', day: 'numeric', month: 'short' });
    this.longFormat = inZone({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    this.clockFormat = inZone({ hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  }

  // {year, month (1-12), day, hour, minute, second} of the instant, in the zone.
  parts(date) {
    const parts = {};
    for (const p of this.partsFormat.formatToParts(date)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    return parts;
  }

  // A number per calendar day in the zone (20261202 for 2 December 2026).
  dayKey(date) {
    const p = this.parts(date);
    return p.year * 10000 + p.month * 100 + p.day;
  }

  // The instant of 00:00 in the zone on the given calendar day (month is 1-based; day may
  // run past the month's ends, Date.UTC carries it).
  midnight(year, month, day) {
    const guess = Date.UTC(year, month - 1, day);
    const offsetAt = (instant) => {
      const p = this.parts(new Date(instant));
      return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - instant;
    };
    let result = guess - offsetAt(guess);
    result = guess - offsetAt(result);
    return new Date(result);
  }

  // 00:00 in the zone, the given number of days before today.
  daysAgo(days, now = new Date()) {
    const today = this.parts(now);
    return this.midnight(today.year, today.month, today.day - days);
  }

  // "Today 14:30", "Yesterday 09:05", "Fri 20 Nov 14:30"
  shortTime(iso, now = new Date()) {
    const date = parseTime(iso);
    if (!date) return iso || '';
    const p = this.parts(now);
    const yesterdayKey = this.dayKey(new Date(this.midnight(p.year, p.month, p.day).getTime() - 12 * MS_PER_HOUR));
    const key = this.dayKey(date);
    const clock = this.timeFormat.format(date);
    if (key === this.dayKey(now)) return 'Today ' + clock;
    if (key === yesterdayKey) return 'Yesterday ' + clock;
    return this.dayFormat.format(date) + ' ' + clock;
  }

  // "Wednesday, 2 December 2026 at 14:30"
  longTime(iso) {
    const date = parseTime(iso);
    return date ? this.longFormat.format(date) : (iso || '');
  }

  // "14:30:05"
  clock(date) {
    return this.clockFormat.format(date);
  }
}

// The zone every module formats in; a live binding, replaced by useTimeZone.
export let siteTime = new SiteTime(DEFAULT_TIME_ZONE);

// Formats in the named zone from now on (the default zone when none is named). Returns
// false, and uses the default zone, when the browser does not know the zone.
export function useTimeZone(zone) {
  const wanted = typeof zone === 'string' && zone ? zone : DEFAULT_TIME_ZONE;
  if (wanted === siteTime.zone) return true;
  try {
    siteTime = new SiteTime(wanted);
    return true;
  } catch (_) {
    siteTime = new SiteTime(DEFAULT_TIME_ZONE);
    return false;
  }
}

// <time datetime="…" title="the long form">text</time>
export function timeElement(iso, text) {
  return el('time', { datetime: iso || null, title: siteTime.longTime(iso) }, text);
}
