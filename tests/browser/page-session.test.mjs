// Unit test of the nurse page's service/http/page/session.js: the idle timeout it takes from
// the session answer. No browser needed (importing the page's modules runs no page code).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { idleMinutes } from '../../service/http/page/session.js';

test('idleMinutes: the session answer\'s idle_minutes, else 15', () => {
  const cases = [
    // session answer, minutes
    [{ idle_minutes: 30 }, 30],
    [{ idle_minutes: 2 }, 2],
    [{ idle_minutes: 0.5 }, 0.5],
    [{ idle_minutes: '20' }, 15],   // a number, not a string
    [{ idle_minutes: true }, 15],
    [{}, 15],
    [{ idle_minutes: 0 }, 15],
    [{ idle_minutes: -5 }, 15],
    [{ idle_minutes: 'soon' }, 15],
    [{ idle_minutes: null }, 15],
    [null, 15],
  ];
  for (const [session, minutes] of cases) assert.equal(idleMinutes(session), minutes, JSON.stringify(session));
});
