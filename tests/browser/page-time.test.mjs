// Unit tests of the nurse page's service/http/page/time.js: calendar days, midnights and
// wording in the site's time zone, across summer-time changes. No browser needed.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { DEFAULT_TIME_ZONE, SiteTime } from '../../service/http/page/time.js';

const iso = (date) => date.toISOString();

describe('SiteTime.midnight: 00:00 in the zone as an instant', () => {
  const cases = [
    // zone, [year, month, day], 00:00 there in UTC
    ['Europe/London', [2026, 1, 15], '2026-01-15T00:00:00.000Z'],
    ['Europe/London', [2026, 3, 29], '2026-03-29T00:00:00.000Z'],   // clocks go forward at 01:00 that day
    ['Europe/London', [2026, 3, 30], '2026-03-29T23:00:00.000Z'],
    ['Europe/London', [2026, 10, 25], '2026-10-24T23:00:00.000Z'],  // clocks go back at 02:00 that day
    ['Europe/London', [2026, 10, 26], '2026-10-26T00:00:00.000Z'],
    ['Europe/London', [2026, 1, 32], '2026-02-01T00:00:00.000Z'],   // day past the month's end
    ['Europe/London', [2026, 3, 0], '2026-02-28T00:00:00.000Z'],    // day 0: the month before's last
    ['America/New_York', [2026, 1, 15], '2026-01-15T05:00:00.000Z'],
    ['America/New_York', [2026, 7, 15], '2026-07-15T04:00:00.000Z'],
    ['Asia/Kathmandu', [2026, 6, 1], '2026-05-31T18:15:00.000Z'],
    ['Australia/Adelaide', [2026, 12, 25], '2026-12-24T13:30:00.000Z'],
    ['Pacific/Auckland', [2026, 9, 27], '2026-09-26T12:00:00.000Z'], // summer time starts at 02:00 that day
  ];
  for (const [zone, [year, month, day], expected] of cases) {
    test(`${zone} ${year}-${month}-${day}`, () => {
      assert.equal(iso(new SiteTime(zone).midnight(year, month, day)), expected);
    });
  }
});

describe('SiteTime.daysAgo and dayKey', () => {
  test('7 days before today, from 00:00 in London in summer', () => {
    const london = new SiteTime('Europe/London');
    assert.equal(iso(london.daysAgo(7, new Date('2026-07-10T23:30:00Z'))), '2026-07-03T23:00:00.000Z');   // already the 11th there
    assert.equal(iso(london.daysAgo(0, new Date('2026-07-10T22:30:00Z'))), '2026-07-09T23:00:00.000Z');
  });
  test('the same instant is a different day in another zone', () => {
    const instant = new Date('2026-12-02T20:00:00Z');
    assert.equal(new SiteTime('Europe/London').dayKey(instant), 20261202);
    assert.equal(new SiteTime('Pacific/Auckland').dayKey(instant), 20261203);
    assert.equal(new SiteTime('America/Los_Angeles').dayKey(instant), 20261202);
  });
});

describe('SiteTime.shortTime: Today, Yesterday or the date', () => {
  // A date's punctuation is the ICU's in use: Debian 12's ICU 72 writes "Fri, 20 Nov", newer
  // ones "Fri 20 Nov" (the page itself runs on the browser's ICU).
  const cases = [
    // zone, now, time shown, expected
    ['Europe/London', '2026-12-02T10:00:00Z', '2026-12-02T09:05:00Z', 'Today 09:05'],
    ['Europe/London', '2026-12-02T10:00:00Z', '2026-12-02T00:00:00Z', 'Today 00:00'],
    ['Europe/London', '2026-12-02T10:00:00Z', '2026-12-01T23:59:00Z', 'Yesterday 23:59'],
    ['Europe/London', '2026-12-02T10:00:00Z', '2026-11-20T14:30:00Z', /^Fri,? 20 Nov 14:30$/],
    ['Europe/London', '2026-03-30T10:00:00Z', '2026-03-29T00:30:00Z', 'Yesterday 00:30'],   // the short day
    ['Europe/London', '2026-10-26T10:00:00Z', '2026-10-25T01:30:00Z', 'Yesterday 01:30'],   // the long day
    ['Europe/London', '2026-07-01T23:30:00Z', '2026-07-01T23:10:00Z', 'Today 00:10'],        // 2 July there
    ['Pacific/Auckland', '2026-12-02T10:00:00Z', '2026-12-01T12:00:00Z', 'Today 01:00'],
    ['Pacific/Auckland', '2026-12-02T10:00:00Z', '2026-12-01T10:00:00Z', 'Yesterday 23:00'],
    ['Asia/Kathmandu', '2026-12-02T10:00:00Z', '2026-12-02T08:00:00Z', 'Today 13:45'],
  ];
  for (const [zone, now, shown, expected] of cases) {
    test(`${zone}: ${shown} seen at ${now}`, () => {
      const text = new SiteTime(zone).shortTime(shown, new Date(now));
      if (expected instanceof RegExp) assert.match(text, expected);
      else assert.equal(text, expected);
    });
  }
  test('text that is not a time is shown as it is', () => {
    assert.equal(new SiteTime('Europe/London').shortTime('not a time'), 'not a time');
    assert.equal(new SiteTime('Europe/London').shortTime(undefined), '');
  });
});

describe('SiteTime.longTime and clock', () => {
  test('in the zone, 24-hour', () => {
    assert.match(new SiteTime('Europe/London').longTime('2026-07-02T13:30:00Z'), /^Thursday,? 2 July 2026,? at 14:30$/);
    assert.match(new SiteTime('America/New_York').longTime('2026-07-02T13:30:00Z'), /^Thursday,? 2 July 2026,? at 09:30$/);
    assert.equal(new SiteTime('Asia/Kathmandu').clock(new Date('2026-07-02T13:30:05Z')), '19:15:05');
  });
});

describe('useTimeZone', () => {
  test('an unknown zone is refused and the default zone used', async () => {
    assert.throws(() => new SiteTime('Mars/Olympus_Mons'), RangeError);
    // A fresh copy of the module, so that its live binding starts from the default.
    const time = await import('../../service/http/page/time.js?useTimeZone');
    assert.equal(time.siteTime.zone, DEFAULT_TIME_ZONE);
    assert.equal(time.useTimeZone('Asia/Tokyo'), true);
    assert.equal(time.siteTime.zone, 'Asia/Tokyo');
    assert.equal(time.siteTime.clock(new Date('2026-07-02T13:30:05Z')), '22:30:05');
    assert.equal(time.useTimeZone('Mars/Olympus_Mons'), false);
    assert.equal(time.siteTime.zone, DEFAULT_TIME_ZONE);
    assert.equal(time.useTimeZone('Asia/Tokyo'), true);
    assert.equal(time.useTimeZone(undefined), true, 'no zone named: the default');
    assert.equal(time.siteTime.zone, DEFAULT_TIME_ZONE);
    assert.equal(DEFAULT_TIME_ZONE, 'Europe/London');
  });
});
