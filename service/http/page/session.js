// Signing in and out, entering the page with the session's settings (wards, time zone,
// idle timeout), and pausing a page nobody is using.

import { api, handleAuthFailure, onSessionEnded } from './api.js';
import { $, announce, el, setMessage, show } from './dom.js';
import { refresh, startPolling, stopPolling } from './refresh.js';
import { state } from './state.js';
import { useTimeZone } from './time.js';

// Polling would keep the session alive for ever on a PC nobody is using: after this long
// without a key, click or touch the page stops asking, hides patient data and waits. The
// session's idle_minutes (auth.session_idle_minutes) replaces it when the answer has one.
const DEFAULT_IDLE_MINUTES = 15;

export function init() {
  onSessionEnded(() => signedOut('Your session has ended. Please sign in again.'));
  $('sign-in-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', signOut);
  $('resume').addEventListener('click', resume);
  $('paused-sign-out').addEventListener('click', signOutWhilePaused);
  for (const type of ['pointerdown', 'keydown', 'wheel', 'touchstart']) {
    document.addEventListener(type, () => { state.lastActivity = Date.now(); }, { passive: true, capture: true });
  }
  // Who is signed in? 401 simply means nobody yet.
  api('GET', '/v1/session').then(enterApp, (err) => {
    if (err.status === 401) showSignIn();
    else showSignIn('wardprint cannot be reached just now (' + err.message + '). Reload the page to try again.');
  });
}

function showSignIn(message, kind) {
  show($('loading'), false);
  show($('paused'), false);
  show($('app'), false);
  show($('who'), false);
  show($('sign-in'), true);
  const error = $('sign-in-error');
  if (message) {
    setMessage(error, message, kind || 'error');
    error.setAttribute('role', kind === 'info' ? 'status' : 'alert');
  } else {
    setMessage(error, '');
  }
  $('sign-in-password').value = '';
  const name = $('sign-in-name');
  (name.value ? $('sign-in-password') : name).focus();
}

function resetSignedInState() {
  stopPolling();
  state.session = null;
  state.wards = [];
  state.ward = null;
  state.search = null;
  state.docs = [];
  state.listKey = '';
  state.printers = [];
  state.selectedId = null;
  state.selectedDoc = null;
  state.trackedJobs.clear();
  state.shownStates.clear();
  // Drop every bit of patient data from the page.
  $('leaflet-list').replaceChildren();
  $('detail-facts').replaceChildren();
  $('detail-patient').replaceChildren();
  $('jobs').replaceChildren();
  $('preview').replaceChildren();
  $('printer-list').replaceChildren();
  delete $('printer-list').dataset.key;   // so that the next sign-in draws the printers again
  $('search-number').value = '';
  $('search-name').value = '';
  $('reprint-reason').value = '';
  show($('detail'), false);
  show($('failed-banner'), false);
  $('printer-strip').replaceChildren();
}

function signedOut(message, kind) {
  resetSignedInState();
  showSignIn(message, kind);
}

async function signIn(event) {
  event.preventDefault();
  const name = $('sign-in-name').value.trim();
  const password = $('sign-in-password').value;
  const error = $('sign-in-error');
  error.setAttribute('role', 'alert');
  if (!name || !password) {
    setMessage(error, !name ? 'Enter your user name.' : 'Enter your password.', 'error');
    (!name ? $('sign-in-name') : $('sign-in-password')).focus();
    return;
  }
  const button = $('sign-in-submit');
  button.disabled = true;
  setMessage(error, '');
  try {
    const session = await api('POST', '/v1/session', { name, password });
    $('sign-in-password').value = '';
    await enterApp(session);
  } catch (err) {
    $('sign-in-password').value = '';
    setMessage(error, signInRefusal(err), 'error');
    $('sign-in-password').focus();
  } finally {
    button.disabled = false;
  }
}

function signInRefusal(err) {
  if (err.status === 401) return 'The user name or password is wrong. Check them and try again.';
  if (err.status === 429) {
    const minutes = Math.ceil(Number(err.retryAfter) / 60);
    return 'Too many attempts to sign in. ' + (minutes > 0
      ? 'Wait ' + minutes + ' minute' + (minutes === 1 ? '' : 's') + ' and try again.'
      : 'Wait a few minutes and try again.');
  }
  return 'Could not sign in: ' + err.message;
}

async function signOut() {
  const button = $('sign-out');
  button.disabled = true;
  try {
    await api('DELETE', '/v1/session');
    signedOut('You have signed out.', 'info');
  } catch (err) {
    if (err.status === 401) signedOut('You have signed out.', 'info');
    else announce('Could not sign out: ' + err.message);
  } finally {
    button.disabled = false;
  }
}

const DEFAULT_STUCK_AFTER_SECONDS = 120;

// The session answer's `timezone` (an IANA name, the config's site.timezone): every time
// on the page is shown in it; Europe/London when the answer names none. Its
// `stuck_after_seconds` likewise. (Its `idle_minutes` is read at each poll by idleTooLong.)
function applySessionSettings(session) {
  if (!useTimeZone(session.timezone)) {
    console.warn('wardprint: unknown time zone "' + session.timezone + '"; showing times in the default zone.');
  }
  // How long a leaflet may wait at a printer that needs someone before it is listed as stuck.
  const stuck = session.stuck_after_seconds;
  state.stuckAfterSeconds = typeof stuck === 'number' && Number.isFinite(stuck) && stuck > 0 ? stuck : DEFAULT_STUCK_AFTER_SECONDS;
}

// How long the page may sit unused: the session's idle_minutes (the config's
// auth.session_idle_minutes, a JSON number), or DEFAULT_IDLE_MINUTES when the answer has
// none or something else.
export function idleMinutes(session) {
  const minutes = session ? session.idle_minutes : undefined;
  return typeof minutes === 'number' && Number.isFinite(minutes) && minutes > 0 ? minutes : DEFAULT_IDLE_MINUTES;
}

async function enterApp(session) {
  state.session = session;
  state.lastActivity = Date.now();
  applySessionSettings(session);
  show($('loading'), false);
  show($('paused'), false);
  show($('sign-in'), false);
  setMessage($('sign-in-error'), '');
  $('who-name').textContent = session.name;
  $('who-role').textContent = session.role === 'admin' ? '(administrator)' : '(' + (session.role || 'staff') + ')';
  show($('who'), true);
  show($('app'), true);

  // Wards: names from /v1/wards; the session's list of ids if that fails.
  try {
    const answer = await api('GET', '/v1/wards');
    state.wards = (answer && Array.isArray(answer.wards)) ? answer.wards : [];
  } catch (err) {
    if (handleAuthFailure(err)) return;
    state.wards = (session.wards || []).map((id) => ({ id, name: id }));
  }
  if (!state.wards.length && Array.isArray(session.wards)) state.wards = session.wards.map((id) => ({ id, name: id }));
  state.ward = state.wards.length ? state.wards[0].id : null;
  drawWardPicker();
  $('main').focus();
  announce('Signed in as ' + session.name + '.');
  await refresh();
  startPolling();
}

function drawWardPicker() {
  const picker = $('ward-picker');
  picker.replaceChildren(...state.wards.map((w) => el('option', { value: w.id, selected: w.id === state.ward }, w.name || w.id)));
  show($('ward-picker-field'), state.wards.length > 1);
  show($('ward-single'), state.wards.length === 1);
  $('ward-single-name').textContent = state.wards.length === 1 ? (state.wards[0].name || state.wards[0].id) : '';
  if (!state.wards.length) setMessage($('list-error'), 'Your account has no wards. Ask an administrator to add yours.', 'error');
}

// ---------------------------------------------------------------- a page nobody uses

export function idleTooLong() {
  return Date.now() - state.lastActivity > idleMinutes(state.session) * 60000;
}

export function pauseForIdle() {
  const session = state.session;
  resetSignedInState();
  state.pausedSession = session;
  show($('app'), false);
  show($('who'), false);
  show($('paused'), true);
  $('resume').focus();
}

async function resume() {
  state.lastActivity = Date.now();
  state.pausedSession = null;
  show($('paused'), false);
  show($('loading'), true);
  try {
    await enterApp(await api('GET', '/v1/session'));
  } catch (err) {
    showSignIn(err.status === 401 ? 'Your session has ended. Please sign in again.'
      : 'wardprint cannot be reached just now (' + err.message + '). Reload the page to try again.');
  }
}

async function signOutWhilePaused() {
  state.session = state.pausedSession;
  state.pausedSession = null;
  show($('paused'), false);
  await signOut();
  if ($('sign-in').hidden) showSignIn('Could not sign out just now. Sign in again, or close the browser.');
}
