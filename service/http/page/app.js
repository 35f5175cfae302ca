// The wardprint nurse page: sign in, find a ward's going-home leaflets, preview, reprint,
// and watch the printers. Plain JavaScript modules, no framework, no build step.
//
// Patient data stays in memory only: never in localStorage/sessionStorage, never in the
// page's URL, and never in a request URL except the hospital number or name of a search.
//
// The modules, each with one concern:
//   dom.js      element helpers and the screen-reader announcer
//   time.js     dates and times in the site's time zone
//   states.js   document, job and printer states in words, and their badges
//   api.js      the JSON API: fetch, CSRF token, errors, the end of a session
//   state.js    what the page holds while someone is signed in
//   session.js  sign in and out, the session's settings, pausing an idle page
//   refresh.js  polling the list and the printers
//   list.js     the leaflet list and search
//   detail.js   one leaflet: facts, print jobs, preview
//   reprint.js  the reprint form
//   by_hand.js  the form for a leaflet the ward system did not send
//   printers.js the printers panel
// The feature modules (session to printers) call each other's functions; none runs code
// when it is imported, so the order they load in does not matter. This file starts them.

import * as byHand from './by_hand.js';
import * as detail from './detail.js';
import * as list from './list.js';
import * as reprint from './reprint.js';
import * as session from './session.js';

// The printer strip stays at the top of the screen; what else sticks goes below it.
function followStripHeight() {
  const strip = document.getElementById('printer-strip');
  new ResizeObserver(() => {
    document.documentElement.style.setProperty('--strip-h', strip.offsetHeight + 'px');
  }).observe(strip);
}

function start() {
  followStripHeight();
  list.init();
  detail.init();
  reprint.init();
  byHand.init();
  session.init();   // last: asks who is signed in
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
