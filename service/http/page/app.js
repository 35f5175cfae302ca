// The wardprint nurse page: sign in, find a ward's going-home leaflets, preview, reprint,
// and watch the printers. Plain JavaScript, no framework, no build step.
//
// Patient data stays in memory only: never in localStorage/sessionStorage, never in the
// page's URL, and never in a request URL except the hospital number or name of a search.
'use strict';

(function () {
  const TIME_ZONE = 'Europe/London';
  const POLL_MS = 5000;
  const REQUEST_TIMEOUT_MS = 15000;
  const RECENT_DAYS = 7;   // today and the 7 days before it
  const LIST_LIMIT = 200;
  const SEARCH_LIMIT = 50;
  // Polling would keep the session alive for ever on a PC nobody is using: after this long
  // without a key, click or touch the page stops asking, hides patient data and waits.
  const PAUSE_AFTER_MINUTES = 15;

  // ---------------------------------------------------------------- state (memory only)
  const state = {
    session: null,          // {name, role, wards, csrf_token}
    wards: [],              // [{id, name, printer?}]
    ward: null,             // selected ward id
    search: null,           // {hospital_number, name} while a search is shown
    docs: [],               // what the list shows
    listKey: '',            // fingerprint of what is drawn, to redraw only on change
    printers: [],
    selectedId: null,
    selectedDoc: null,
    trackedJobs: new Map(), // job id -> last announced state, for reprints made here
    shownStates: new Map(), // document id -> display state key, to announce changes
    pollTimer: null,
    pollSeq: 0,
    offline: false,
    lastActivity: Date.now(),
    pausedSession: null,    // the session while paused, for signing out from there
  };

  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------- small DOM helpers
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [key, value] of Object.entries(attrs)) {
        if (value === null || value === undefined || value === false) continue;
        if (key === 'className') node.className = value;
        else if (key === 'text') node.textContent = value;
        else if (key === 'dataset') Object.assign(node.dataset, value);
        else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? '' : String(value));
      }
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function show(node, visible) { node.hidden = !visible; }

  function setMessage(node, text, kind) {
    node.textContent = text || '';
    node.className = 'message' + (kind ? ' message--' + kind : '');
    show(node, Boolean(text));
  }

  function announce(text) {
    const node = $('announcer');
    // Clear first so that the same words twice are still read out.
    node.textContent = '';
    window.setTimeout(() => { node.textContent = text; }, 50);
  }

  // ---------------------------------------------------------------- time, in Europe/London
  const partsFormat = new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  });
  const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const dayFormat = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, weekday: 'short', day: 'numeric', month: 'short' });
  const longFormat = new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  });
  const clockFormat = new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  });

  function londonParts(date) {
    const parts = {};
    for (const p of partsFormat.formatToParts(date)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    return parts;
  }

  function londonDayKey(date) {
    const p = londonParts(date);
    return p.year * 10000 + p.month * 100 + p.day;
  }

  // The instant of 00:00 in Europe/London on the given calendar day (month is 1-based;
  // day may run past the month's ends, Date.UTC carries it).
  function londonMidnight(year, month, day) {
    const guess = Date.UTC(year, month - 1, day);
    const offsetAt = (instant) => {
      const p = londonParts(new Date(instant));
      return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - instant;
    };
    let result = guess - offsetAt(guess);
    result = guess - offsetAt(result);
    return new Date(result);
  }

  function recentSince() {
    const today = londonParts(new Date());
    return londonMidnight(today.year, today.month, today.day - RECENT_DAYS);
  }

  function parseTime(iso) {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? null : date;
  }

  // "Today 14:30", "Yesterday 09:05", "Fri 20 Nov 14:30"
  function shortTime(iso) {
    const date = parseTime(iso);
    if (!date) return iso || '';
    const now = new Date();
    const todayKey = londonDayKey(now);
    const p = londonParts(now);
    const yesterdayKey = londonDayKey(new Date(londonMidnight(p.year, p.month, p.day).getTime() - 12 * 3600 * 1000));
    const key = londonDayKey(date);
    const clock = timeFormat.format(date);
    if (key === todayKey) return 'Today ' + clock;
    if (key === yesterdayKey) return 'Yesterday ' + clock;
    return dayFormat.format(date) + ' ' + clock;
  }

  function longTime(iso) {
    const date = parseTime(iso);
    return date ? longFormat.format(date) : (iso || '');
  }

  function timeElement(iso, text) {
    return el('time', { datetime: iso || null, title: longTime(iso) }, text);
  }

  // ---------------------------------------------------------------- the API
  class ApiError extends Error {
    constructor(status, problem, message) {
      super(message || (problem && (problem.detail || problem.title)) || ('HTTP ' + status));
      this.status = status;
      this.problem = problem || null;
    }
  }

  async function api(method, path, body) {
    const headers = { Accept: 'application/json, application/problem+json' };
    const init = { method, headers, credentials: 'same-origin', cache: 'no-store', redirect: 'error' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    if (method !== 'GET' && method !== 'HEAD' && state.session && state.session.csrf_token) {
      headers['X-CSRF-Token'] = state.session.csrf_token;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    init.signal = controller.signal;
    let response;
    try {
      response = await fetch(path, init);
    } catch (err) {
      throw new ApiError(0, null, err && err.name === 'AbortError'
        ? 'wardprint did not answer in time.'
        : 'wardprint cannot be reached. Check the network connection.');
    } finally {
      window.clearTimeout(timer);
    }
    let data = null;
    const type = response.headers.get('Content-Type') || '';
    if (response.status !== 204 && /json/.test(type)) {
      try { data = await response.json(); } catch (_) { data = null; }
    }
    if (!response.ok) {
      const err = new ApiError(response.status, data);
      err.retryAfter = response.headers.get('Retry-After');
      throw err;
    }
    return data;
  }

  function query(params) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
    }
    const text = search.toString();
    return text ? '?' + text : '';
  }

  // A request that failed because the session is gone (expired, signed out elsewhere).
  function handleAuthFailure(err) {
    if (err instanceof ApiError && err.status === 401 && state.session) {
      signedOut('Your session has ended. Please sign in again.');
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- print states in words
  function latestJob(doc) {
    const jobs = Array.isArray(doc.print_jobs) ? doc.print_jobs : [];
    let latest = null;
    for (const job of jobs) {
      if (!latest || String(job.created_at || '') >= String(latest.created_at || '')) latest = job;
    }
    return latest;
  }

  function isWaiting(job) {
    return Boolean(job) && (job.state === 'queued' || job.state === 'submitting') &&
      ((job.attempts || 0) > 0 || Boolean(job.last_error));
  }

  // {key, text, detail}: key picks the badge's look; text is what it says.
  function docDisplayState(doc) {
    const job = latestJob(doc);
    switch (doc.state) {
      case 'printed': return { key: 'printed', text: 'Printed' };
      case 'printing': return { key: 'printing', text: 'Printing' };
      case 'failed': return { key: 'failed', text: 'Failed', detail: (job && job.last_error) || 'The printer did not print it.' };
      case 'queued':
      case 'received':
      default:
        if (isWaiting(job)) return { key: 'waiting', text: 'Waiting for the printer', detail: job.last_error || '' };
        return { key: 'queued', text: doc.state === 'received' ? 'Received' : 'Sending to the printer' };
    }
  }

  function jobDisplayState(job) {
    switch (job.state) {
      case 'printed': return { key: 'printed', text: 'Printed' };
      case 'printing': return { key: 'printing', text: 'Printing' };
      case 'failed': return { key: 'failed', text: 'Failed' };
      case 'queued':
      case 'submitting':
      default:
        if (isWaiting(job)) return { key: 'waiting', text: 'Waiting for the printer' };
        return { key: 'queued', text: job.state === 'submitting' ? 'Sending to the printer' : 'Queued' };
    }
  }

  const BADGE_ICONS = { printed: '✓', failed: '⚠' };

  function badge(display) {
    return el('span', { className: 'badge badge--' + display.key },
      BADGE_ICONS[display.key] ? el('span', { className: 'badge__icon', 'aria-hidden': 'true' }, BADGE_ICONS[display.key]) : null,
      el('span', { className: 'badge__text' }, display.text));
  }

  const REASONS = {
    'media-empty': 'out of paper',
    'media-needed': 'needs paper',
    'media-low': 'paper low',
    'media-jam': 'paper jam',
    'toner-low': 'toner low',
    'toner-empty': 'out of toner',
    'marker-supply-low': 'ink or toner low',
    'marker-supply-empty': 'out of ink or toner',
    'marker-waste-full': 'waste toner full',
    'door-open': 'a door is open',
    'cover-open': 'a cover is open',
    'input-tray-missing': 'paper tray missing',
    'output-area-full': 'output tray full',
    'output-tray-missing': 'output tray missing',
    'offline': 'offline',
    'paused': 'paused',
    'moving-to-paused': 'pausing',
    'shutdown': 'switched off',
    'timed-out': 'not answering',
    'connecting-to-device': 'connecting',
    'spool-area-full': 'print memory full',
    'interpreter-resource-unavailable': 'cannot read the leaflet',
    'other': 'needs attention',
  };

  // Reasons that stop a printer until someone goes to it, whatever severity it gives.
  const BLOCKING = new Set(['media-empty', 'media-needed', 'media-jam', 'toner-empty', 'marker-supply-empty',
    'marker-waste-full', 'door-open', 'cover-open', 'input-tray-missing', 'output-area-full', 'output-tray-missing',
    'offline', 'shutdown', 'paused', 'spool-area-full']);

  function reasonText(reason) {
    const raw = String(reason || '').trim();
    if (!raw || raw === 'none') return null;
    const match = /^(.*?)(?:-(error|warning|report))?$/.exec(raw);
    const base = match[1];
    const severity = match[2] || '';
    const words = REASONS[base] || base.replace(/-/g, ' ');
    return { text: words, severity: BLOCKING.has(base) && severity !== 'report' ? 'error' : severity, raw };
  }

  const PRINTER_STATES = {
    idle: { key: 'printed', text: 'Ready' },
    processing: { key: 'printing', text: 'Printing' },
    stopped: { key: 'failed', text: 'Stopped' },
    unreachable: { key: 'failed', text: 'Cannot be reached' },
  };

  function printerDisplay(printer) {
    const known = PRINTER_STATES[printer.reachable === false ? 'unreachable' : printer.state];
    if (known && known.key === 'failed') return known;
    // Still "processing", but jammed or out of paper: someone has to go to it.
    if (printerReasons(printer).some((r) => r.severity === 'error')) return { key: 'failed', text: 'Needs attention' };
    return known || { key: 'queued', text: String(printer.state || 'unknown') };
  }

  function printerReasons(printer) {
    return (printer.state_reasons || []).map(reasonText).filter(Boolean);
  }

  function printerSummary(printer) {
    const words = [printerDisplay(printer).text.toLowerCase()];
    for (const r of printerReasons(printer)) words.push(r.text);
    return words.join(', ');
  }

  // ---------------------------------------------------------------- sign in and out
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
    $('jobs').replaceChildren();
    $('preview').replaceChildren();
    $('printer-list').replaceChildren();
    $('search-number').value = '';
    $('search-name').value = '';
    $('reprint-reason').value = '';
    show($('detail'), false);
    show($('failed-banner'), false);
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
      let text;
      if (err.status === 401) text = 'The user name or password is wrong. Check them and try again.';
      else if (err.status === 429) {
        const seconds = Number(err.retryAfter);
        text = 'Too many attempts to sign in. ' + (seconds > 0
          ? 'Wait ' + Math.ceil(seconds / 60) + ' minute' + (Math.ceil(seconds / 60) === 1 ? '' : 's') + ' and try again.'
          : 'Wait a few minutes and try again.');
      } else text = 'Could not sign in: ' + err.message;
      setMessage(error, text, 'error');
      $('sign-in-password').focus();
    } finally {
      button.disabled = false;
    }
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

  async function enterApp(session) {
    state.session = session;
    state.lastActivity = Date.now();
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

  function wardName(id) {
    const ward = state.wards.find((w) => w.id === id);
    return ward ? (ward.name || ward.id) : id;
  }

  // ---------------------------------------------------------------- polling
  function startPolling() {
    stopPolling();
    const tick = async () => {
      if (idleTooLong()) return pauseForIdle();
      await refresh();
      if (state.session) state.pollTimer = window.setTimeout(tick, POLL_MS);
    };
    state.pollTimer = window.setTimeout(tick, POLL_MS);
  }

  function idleTooLong() {
    const idle = state.session && Number(state.session.idle_minutes);
    const minutes = idle > 0 ? Math.min(idle, PAUSE_AFTER_MINUTES) : PAUSE_AFTER_MINUTES;
    return Date.now() - state.lastActivity > minutes * 60000;
  }

  function pauseForIdle() {
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

  function stopPolling() {
    if (state.pollTimer) window.clearTimeout(state.pollTimer);
    state.pollTimer = null;
  }

  async function refresh() {
    if (!state.session) return;
    const seq = ++state.pollSeq;
    await Promise.all([refreshList(seq), refreshPrinters()]);
  }

  async function fetchDocs() {
    if (state.search) {
      // No ward: the service searches every ward of the user's, and only those.
      const answer = await api('GET', '/v1/discharges' + query({
        hospital_number: state.search.hospital_number, name: state.search.name, limit: SEARCH_LIMIT,
      }));
      return (answer && answer.discharges) || [];
    }
    if (!state.ward) return [];
    const answer = await api('GET', '/v1/discharges' + query({
      ward: state.ward, since: recentSince().toISOString().replace(/\.\d{3}Z$/, 'Z'), limit: LIST_LIMIT,
    }));
    return (answer && answer.discharges) || [];
  }

  async function refreshList(seq) {
    const listError = $('list-error');
    try {
      const docs = await fetchDocs();
      if (seq !== state.pollSeq || !state.session) return;   // a newer refresh has started
      docs.sort((a, b) => String(b.discharged_at).localeCompare(String(a.discharged_at)) ||
        String(b.created_at || '').localeCompare(String(a.created_at || '')));
      state.docs = docs;
      if (state.offline) { state.offline = false; announce('Connected to wardprint again.'); }
      setMessage(listError, '');
      drawList();
      noteStateChanges(docs);
      await refreshSelected();
      $('updated').textContent = 'Updated ' + clockFormat.format(new Date());
    } catch (err) {
      if (handleAuthFailure(err)) return;
      if (err.status === 403) {
        setMessage(listError, 'You cannot see the leaflets of this ward.', 'error');
        return;
      }
      if (!state.offline) announce('Cannot update the leaflets: ' + err.message);
      state.offline = err.status === 0;
      setMessage(listError, 'Cannot update the leaflets: ' + err.message + ' Trying again every few seconds.', 'error');
    }
  }

  // Announce failures, and any change to a reprint made from this page.
  function noteStateChanges(docs) {
    const first = state.shownStates.size === 0;
    for (const doc of docs) {
      const display = docDisplayState(doc);
      const before = state.shownStates.get(doc.id);
      state.shownStates.set(doc.id, display.key);
      if (!first && before && before !== display.key && display.key === 'failed') {
        announce('The leaflet for ' + patientName(doc) + ' failed to print. ' + (display.detail || ''));
      }
      for (const job of doc.print_jobs || []) {
        if (!state.trackedJobs.has(String(job.id))) continue;
        const seen = state.trackedJobs.get(String(job.id));
        const now = jobDisplayState(job);
        if (seen !== now.key) {
          state.trackedJobs.set(String(job.id), now.key);
          announce('Reprint for ' + patientName(doc) + ' on ' + job.printer + ': ' + now.text.toLowerCase() + '.' +
            (job.state === 'failed' && job.last_error ? ' ' + job.last_error : ''));
        }
      }
    }
  }

  // A large-print leaflet is a document of its own; say so wherever it is listed.
  function isLargePrint(doc) {
    if (typeof doc.large_print === 'boolean') return doc.large_print;
    return Boolean(doc.layout && /\.large$/.test(String(doc.layout.id || '')));
  }

  function patientName(doc) {
    return (doc.patient && doc.patient.name) || 'this patient';
  }

  // ---------------------------------------------------------------- the list
  function drawList() {
    const docs = state.docs;
    const key = JSON.stringify([state.search, state.ward, state.selectedId, new Date().toDateString(),
      docs.map((d) => [d.id, d.state, d.discharged_at, d.patient, d.procedure,
        (d.print_jobs || []).map((j) => [j.id, j.state, j.attempts, j.last_error])])]);
    if (key === state.listKey) return;
    state.listKey = key;

    // Keep keyboard focus on the same leaflet's button across a redraw.
    const focused = document.activeElement;
    const focusedId = focused && focused.closest && focused.closest('#leaflet-list') ? focused.dataset.docId : null;

    const container = $('leaflet-list');
    const nodes = [];
    const failed = docs.filter((d) => d.state === 'failed');

    if (state.search) {
      const what = [state.search.hospital_number && ('hospital number ' + state.search.hospital_number),
        state.search.name && ('name containing “' + state.search.name + '”')].filter(Boolean).join(' and ');
      nodes.push(el('p', { className: 'list-summary' },
        docs.length ? (docs.length + ' leaflet' + (docs.length === 1 ? '' : 's') + ' with ' + what + '.') : 'No leaflets with ' + what + ' on your wards.'));
      if (docs.length) {
        nodes.push(el('p', { className: 'hint list-hint' }, 'Choose a patient to preview or reprint their leaflet.'));
        nodes.push(leafletTable(docs, 'Search results', true));
      }
    } else {
      const todayKey = londonDayKey(new Date());
      const today = docs.filter((d) => { const t = parseTime(d.discharged_at); return t && londonDayKey(t) === todayKey; });
      const earlier = docs.filter((d) => !today.includes(d));
      if (docs.length) nodes.push(el('p', { className: 'hint list-hint' }, 'Choose a patient to preview or reprint their leaflet.'));
      nodes.push(el('h3', { className: 'group-title', id: 'today-title' }, 'Today ', el('span', { className: 'count' }, '(' + today.length + ')')));
      nodes.push(today.length ? leafletTable(today, 'Leaflets for patients who went home today', false)
        : el('p', { className: 'empty' }, 'No leaflets yet today for ' + wardName(state.ward) + '.'));
      nodes.push(el('h3', { className: 'group-title', id: 'earlier-title' }, 'Last 7 days ', el('span', { className: 'count' }, '(' + earlier.length + ')')));
      nodes.push(earlier.length ? leafletTable(earlier, 'Leaflets from the last 7 days', false)
        : el('p', { className: 'empty' }, 'None in the last 7 days.'));
    }
    container.replaceChildren(...nodes);

    const banner = $('failed-banner');
    if (failed.length) {
      setMessage(banner, '', 'error');
      banner.replaceChildren(el('strong', null, failed.length === 1 ? '1 leaflet failed to print.' : failed.length + ' leaflets failed to print.'),
        ' Open it to see why, then reprint it, on another printer if need be.');
      show(banner, true);
    } else {
      show(banner, false);
    }

    if (focusedId) {
      const again = container.querySelector('button[data-doc-id="' + CSS.escape(focusedId) + '"]');
      if (again) again.focus();
    }
  }

  function leafletTable(docs, caption, showWard) {
    const head = el('tr', null,
      el('th', { scope: 'col', className: 'col-patient' }, 'Patient'),
      el('th', { scope: 'col', className: 'col-number' }, 'Hospital number'),
      el('th', { scope: 'col', className: 'col-procedure' }, 'Procedure'),
      showWard ? el('th', { scope: 'col', className: 'col-ward' }, 'Ward') : null,
      el('th', { scope: 'col', className: 'col-time' }, 'Went home'),
      el('th', { scope: 'col', className: 'col-state' }, 'Print state'));
    const rows = docs.map((doc) => {
      const display = docDisplayState(doc);
      const selected = doc.id === state.selectedId;
      const name = patientName(doc);
      return el('tr', {
        className: 'leaflet-row leaflet-row--' + display.key + (selected ? ' is-selected' : ''),
        dataset: { docId: doc.id },
        'aria-current': selected ? 'true' : null,
      },
      el('th', { scope: 'row', className: 'cell-patient', 'data-label': 'Patient' },
        el('button', {
          type: 'button', className: 'link-button', dataset: { docId: doc.id },
          'aria-current': selected ? 'true' : null, onclick: () => selectDoc(doc.id, true),
        }, name, isLargePrint(doc) ? [' ', el('span', { className: 'tag' }, 'Large print')] : null),
        selected ? el('span', { className: 'opened', 'aria-hidden': 'true' }, 'Shown in the leaflet pane') : null),
      el('td', { className: 'cell-number', 'data-label': 'Hospital number' }, (doc.patient && doc.patient.hospital_number) || ''),
      el('td', { 'data-label': 'Procedure' }, procedureText(doc.procedure)),
      showWard ? el('td', { 'data-label': 'Ward' }, wardName(doc.ward)) : null,
      el('td', { className: 'cell-time', 'data-label': 'Went home' }, timeElement(doc.discharged_at, shortTime(doc.discharged_at))),
      el('td', { className: 'cell-state', 'data-label': 'Print state' }, badge(display),
        display.detail ? el('span', { className: 'state-detail' }, display.detail) : null));
    });
    return el('div', { className: 'table-wrap' },
      el('table', { className: 'leaflets-table' }, el('caption', { className: 'visually-hidden' }, caption),
        el('thead', null, head), el('tbody', null, rows)));
  }

  function procedureText(procedure) {
    if (!procedure) return '';
    if (typeof procedure === 'string') return procedure.charAt(0).toUpperCase() + procedure.slice(1);
    const type = procedure.type ? procedure.type.charAt(0).toUpperCase() + procedure.type.slice(1) : '';
    const levels = Array.isArray(procedure.levels) ? ' (' + procedure.levels.join(', ') + ')' : '';
    return type + levels;
  }

  // ---------------------------------------------------------------- search
  function searchSubmit(event) {
    event.preventDefault();
    const number = $('search-number').value.replace(/\s+/g, '').toUpperCase();
    const name = $('search-name').value.trim();
    const error = $('list-error');
    if (!number && !name) {
      clearSearch();
      return;
    }
    if (number && !/^[A-Z0-9]{1,20}$/.test(number)) {
      setMessage(error, 'A hospital number is 1 to 20 letters or digits.', 'error');
      $('search-number').setAttribute('aria-invalid', 'true');
      $('search-number').focus();
      return;
    }
    $('search-number').removeAttribute('aria-invalid');
    $('search-number').value = number;
    state.search = { hospital_number: number, name };
    state.listKey = '';
    show($('search-clear'), true);
    $('leaflets-title').textContent = 'Search results';
    refreshNow().then(() => announce($('leaflet-list').querySelector('.list-summary')?.textContent || ''));
  }

  function clearSearch() {
    state.search = null;
    state.listKey = '';
    $('search-number').value = '';
    $('search-name').value = '';
    $('search-number').removeAttribute('aria-invalid');
    show($('search-clear'), false);
    $('leaflets-title').textContent = 'Leaflets';
    refreshNow();
    $('search-number').focus();
  }

  async function refreshNow() {
    stopPolling();
    await refresh();
    if (state.session) startPolling();
  }

  // ---------------------------------------------------------------- one leaflet
  async function selectDoc(id, moveFocus) {
    const changed = id !== state.selectedId;
    state.selectedId = id;
    state.selectedDoc = state.docs.find((d) => d.id === id) || null;
    if (!state.selectedDoc) {
      try {
        state.selectedDoc = await api('GET', '/v1/discharges/' + encodeURIComponent(id));
      } catch (err) {
        if (handleAuthFailure(err)) return;
        announce('Could not open the leaflet: ' + err.message);
        return;
      }
    }
    state.listKey = '';
    drawList();
    if (changed) resetReprintForm();
    drawDetail(changed);
    show($('detail'), true);
    document.querySelector('.layout').classList.add('layout--with-detail');
    if (moveFocus) {
      const detail = $('detail');
      detail.focus({ preventScroll: true });
      detail.scrollIntoView({ block: 'start', behavior: 'smooth' });
    }
  }

  async function refreshSelected() {
    if (!state.selectedId) return;
    let doc = state.docs.find((d) => d.id === state.selectedId);
    if (!doc) {
      try {
        doc = await api('GET', '/v1/discharges/' + encodeURIComponent(state.selectedId));
        noteStateChanges([doc]);
      } catch (err) {
        if (handleAuthFailure(err)) return;
        return;   // keep what is shown; the list's error says why
      }
    }
    state.selectedDoc = doc;
    drawDetail(false);
  }

  function closeDetail() {
    const id = state.selectedId;
    state.selectedId = null;
    state.selectedDoc = null;
    show($('detail'), false);
    $('preview').replaceChildren();
    document.querySelector('.layout').classList.remove('layout--with-detail');
    state.listKey = '';
    drawList();
    const button = id && $('leaflet-list').querySelector('button[data-doc-id="' + CSS.escape(id) + '"]');
    (button || $('search-number')).focus();
  }

  function drawDetail(newDocument) {
    const doc = state.selectedDoc;
    if (!doc) return;
    const display = docDisplayState(doc);
    $('detail-title').textContent = (isLargePrint(doc) ? 'Large-print leaflet for ' : 'Leaflet for ') + patientName(doc);
    const facts = [
      ['Patient', patientName(doc)],
      ['Hospital number', (doc.patient && doc.patient.hospital_number) || ''],
      ['Procedure', procedureText(doc.procedure)],
      ['Ward', wardName(doc.ward)],
      ['Went home', timeElement(doc.discharged_at, longTime(doc.discharged_at))],
      ['Print state', el('span', null, badge(display), display.detail ? el('span', { className: 'state-detail' }, display.detail) : null)],
      ['Leaflet', (isLargePrint(doc) ? 'Large print · ' : '') + (doc.layout ? doc.layout.id + ' version ' + doc.layout.version : '')],
      ['Document id', el('span', { className: 'mono' }, doc.id)],
    ];
    $('detail-facts').replaceChildren(...facts.flatMap(([term, value]) => [el('dt', null, term), el('dd', null, value)]));
    drawJobs(doc);

    const pdfUrl = doc.pdf_url || ('/v1/discharges/' + encodeURIComponent(doc.id) + '/pdf');
    $('download').setAttribute('href', pdfUrl + (pdfUrl.includes('?') ? '&' : '?') + 'download=1');
    $('download').setAttribute('download', doc.id + '.pdf');
    const preview = $('preview');
    const frame = preview.querySelector('iframe');
    if (newDocument || !frame || frame.dataset.docId !== doc.id) {
      preview.replaceChildren(el('iframe', {
        src: pdfUrl, title: 'Preview of the leaflet for ' + patientName(doc), className: 'preview__frame',
        dataset: { docId: doc.id }, loading: 'eager', referrerpolicy: 'no-referrer',
      }));
    }
    show($('large-print-field'), Boolean(doc.large_print_available));
    if (!doc.large_print_available) $('reprint-large').checked = false;
    drawPrinterChoices();
  }

  function drawJobs(doc) {
    const jobs = (doc.print_jobs || []).slice().sort((a, b) => String(b.created_at || '').localeCompare(String(a.created_at || '')));
    if (!jobs.length) {
      $('jobs').replaceChildren(el('p', { className: 'empty' }, 'Not sent to a printer yet.'));
      return;
    }
    const rows = jobs.map((job) => {
      const display = jobDisplayState(job);
      const tracked = state.trackedJobs.has(String(job.id));
      return el('li', { className: 'job job--' + display.key + (tracked ? ' job--new' : ''), dataset: { jobId: String(job.id) } },
        el('div', { className: 'job__head' },
          badge(display),
          el('span', { className: 'job__printer' }, job.printer || ''),
          tracked ? el('span', { className: 'job__new' }, 'your reprint') : null),
        el('div', { className: 'job__meta' },
          (job.copies || 1) + (job.copies === 1 || !job.copies ? ' copy' : ' copies'),
          job.reason ? ' · ' + job.reason : '',
          job.requested_by ? ' · by ' + job.requested_by : '',
          ' · ', timeElement(job.created_at, shortTime(job.created_at)),
          job.completed_at && job.state === 'printed' ? el('span', null, ' · printed ', timeElement(job.completed_at, shortTime(job.completed_at))) : null,
          (job.attempts || 0) > 1 ? ' · ' + job.attempts + ' attempts' : ''),
        job.last_error ? el('p', { className: 'job__error' }, el('strong', null, job.state === 'failed' ? 'Why it failed: ' : 'Last problem: '), job.last_error) : null,
        job.also_printed_on ? el('p', { className: 'job__error' }, el('strong', null, 'Printed twice: '),
          'also printed on ' + job.also_printed_on + ' after it recovered. Check there is not a spare copy.') : null);
    });
    $('jobs').replaceChildren(el('ul', { className: 'jobs', 'aria-label': 'Print jobs, newest first' }, rows));
  }

  // ---------------------------------------------------------------- reprint
  function wardPrinter(wardId) {
    const ward = state.wards.find((w) => w.id === wardId);
    return ward && ward.printer ? ward.printer : null;
  }

  function drawPrinterChoices() {
    const select = $('reprint-printer');
    const doc = state.selectedDoc;
    const current = select.dataset.touched === 'true' ? select.value : null;
    const ownPrinter = doc ? wardPrinter(doc.ward) : null;
    const options = [];
    if (!ownPrinter) options.push(el('option', { value: '' }, 'The ward’s own printer'));
    for (const printer of state.printers) {
      const label = printer.name + (printer.name === ownPrinter ? ' (ward printer)' : '') + ' – ' + printerSummary(printer);
      options.push(el('option', { value: printer.name }, label));
    }
    const wanted = current !== null ? current : (ownPrinter || '');
    const key = JSON.stringify(options.map((o) => [o.value, o.textContent])) + wanted;
    if (select.dataset.key === key) return;
    select.dataset.key = key;
    select.replaceChildren(...options);
    select.value = wanted;
    if (select.value !== wanted) select.selectedIndex = 0;
  }

  function resetReprintForm() {
    const form = $('reprint-form');
    form.reset();
    $('reprint-copies').value = '1';
    $('reprint-printer').dataset.touched = 'false';
    $('reprint-printer').dataset.key = '';
    clearFieldErrors();
    setMessage($('reprint-message'), '');
  }

  const FIELD_INPUTS = { copies: 'reprint-copies', reason: 'reprint-reason', printer: 'reprint-printer', large_print: 'reprint-large' };
  const FIELD_ERRORS = { copies: 'reprint-copies-error', reason: 'reprint-reason-error', printer: 'reprint-printer-error', large_print: 'reprint-large-error' };

  function clearFieldErrors() {
    for (const id of Object.values(FIELD_ERRORS)) setFieldError(id, '');
    for (const id of Object.values(FIELD_INPUTS)) $(id).removeAttribute('aria-invalid');
  }

  function setFieldError(id, text) {
    const node = $(id);
    node.textContent = text || '';
    show(node, Boolean(text));
  }

  function showProblems(problems) {
    let first = null;
    const loose = [];
    for (const problem of problems) {
      const field = String(problem.field || '').replace(/^body\./, '');
      if (FIELD_INPUTS[field]) {
        $(FIELD_INPUTS[field]).setAttribute('aria-invalid', 'true');
        setFieldError(FIELD_ERRORS[field], problem.reason || 'Check this.');
        if (!first) first = $(FIELD_INPUTS[field]);
      } else {
        loose.push((problem.field ? problem.field + ': ' : '') + (problem.reason || ''));
      }
    }
    return { first, loose };
  }

  async function reprint(event) {
    event.preventDefault();
    const doc = state.selectedDoc;
    if (!doc) return;
    clearFieldErrors();
    const message = $('reprint-message');
    setMessage(message, '');
    const copies = Number($('reprint-copies').value);
    const reason = $('reprint-reason').value.trim();
    const problems = [];
    if (!Number.isInteger(copies) || copies < 1 || copies > 5) problems.push({ field: 'copies', reason: 'Choose 1 to 5 copies.' });
    if (!reason) problems.push({ field: 'reason', reason: 'Give a reason for reprinting, such as “lost”.' });
    if (problems.length) {
      const { first } = showProblems(problems);
      setMessage(message, 'The leaflet was not reprinted: ' + problems.map((p) => p.reason).join(' '), 'error');
      if (first) first.focus();
      return;
    }
    const body = { copies, reason };
    const printer = $('reprint-printer').value;
    if (printer) body.printer = printer;
    if (doc.large_print_available && $('reprint-large').checked) body.large_print = true;

    const button = $('reprint-submit');
    button.disabled = true;
    setMessage(message, 'Sending…', 'info');
    try {
      const answer = await api('POST', '/v1/discharges/' + encodeURIComponent(doc.id) + '/reprint', body);
      const where = body.printer || wardPrinter(doc.ward) || 'the ward’s printer';
      state.trackedJobs.set(String(answer.job_id), 'queued');
      const text = (body.large_print ? 'Large-print reprint' : 'Reprint') + ' sent to ' + where + ' (' + copies +
        (copies === 1 ? ' copy' : ' copies') + '). Its progress shows under Print jobs.';
      setMessage(message, text, 'success');
      announce(text);
      $('reprint-reason').value = '';
      $('reprint-copies').value = '1';
      $('reprint-large').checked = false;
      // A large-print reprint is a new leaflet with its own id: show that one.
      if (answer.id && answer.id !== doc.id) {
        await selectDoc(answer.id, false);
        setMessage($('reprint-message'), text, 'success');
      }
      await refreshNow();
    } catch (err) {
      if (handleAuthFailure(err)) return;
      if (err.problem && Array.isArray(err.problem.problems) && err.problem.problems.length && err.status !== 403) {
        const { first, loose } = showProblems(err.problem.problems);
        setMessage(message, 'The leaflet was not reprinted. ' + (err.problem.detail || '') + (loose.length ? ' ' + loose.join('; ') : ''), 'error');
        (first || $('reprint-submit')).focus();
      } else if (err.status === 403) {
        // A stale CSRF token (signed in again in another tab) gets a fresh one; any other
        // refusal (a printer this user may not use) is said as the service words it.
        const used = state.session.csrf_token;
        try {
          state.session = await api('GET', '/v1/session');
          setMessage(message, state.session.csrf_token !== used
            ? 'The leaflet was not reprinted: your session was renewed. Press Reprint again.'
            : 'The leaflet was not reprinted: ' + ((err.problem && err.problem.detail) || 'you may not do this.'), 'error');
        } catch (again) {
          if (!handleAuthFailure(again)) setMessage(message, 'The leaflet was not reprinted: ' + err.message, 'error');
        }
      } else {
        setMessage(message, 'The leaflet was not reprinted: ' + err.message, 'error');
      }
    } finally {
      button.disabled = false;
    }
  }

  // ---------------------------------------------------------------- printers
  async function refreshPrinters() {
    try {
      const answer = await api('GET', '/v1/printers');
      if (!state.session) return;
      state.printers = (answer && Array.isArray(answer.printers)) ? answer.printers : [];
      drawPrinters();
      if (state.selectedDoc) drawPrinterChoices();
    } catch (err) {
      if (handleAuthFailure(err)) return;
      $('printer-list').replaceChildren(el('p', { className: 'message message--error' }, 'Cannot check the printers: ' + err.message));
    }
  }

  function drawPrinters() {
    const list = $('printer-list');
    if (!state.printers.length) {
      list.replaceChildren(el('p', { className: 'empty' }, 'No printers.'));
      return;
    }
    const key = JSON.stringify(state.printers);
    if (list.dataset.key === key) return;
    list.dataset.key = key;
    list.replaceChildren(el('ul', { className: 'printers-list' }, state.printers.map((printer) => {
      const display = printerDisplay(printer);
      const reasons = printerReasons(printer);
      const notes = [];
      if (printer.accepting_jobs === false) notes.push(el('li', { className: 'printer__note printer__note--error' }, 'Not accepting jobs'));
      for (const r of reasons) {
        notes.push(el('li', { className: 'printer__note' + (r.severity === 'error' || display.key === 'failed' ? ' printer__note--error' : ''), title: r.raw },
          r.text.charAt(0).toUpperCase() + r.text.slice(1)));
      }
      for (const problem of printer.problems || []) {
        const text = typeof problem === 'string' ? problem : (problem.reason || problem.detail || JSON.stringify(problem));
        notes.push(el('li', { className: 'printer__note printer__note--error' }, 'Set-up problem: ' + text));
      }
      return el('li', { className: 'printer printer--' + display.key, dataset: { printer: printer.name } },
        el('div', { className: 'printer__head' }, el('span', { className: 'printer__name' }, printer.name), badge(display)),
        notes.length ? el('ul', { className: 'printer__notes' }, notes) : null);
    })));
  }

  // ---------------------------------------------------------------- wiring
  function init() {
    $('sign-in-form').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', signOut);
    $('resume').addEventListener('click', resume);
    $('paused-sign-out').addEventListener('click', signOutWhilePaused);
    for (const type of ['pointerdown', 'keydown', 'wheel', 'touchstart']) {
      document.addEventListener(type, () => { state.lastActivity = Date.now(); }, { passive: true, capture: true });
    }
    $('search-form').addEventListener('submit', searchSubmit);
    $('search-clear').addEventListener('click', clearSearch);
    $('detail-close').addEventListener('click', closeDetail);
    $('reprint-form').addEventListener('submit', reprint);
    $('reprint-printer').addEventListener('change', () => { $('reprint-printer').dataset.touched = 'true'; });
    $('ward-picker').addEventListener('change', () => {
      state.ward = $('ward-picker').value;
      state.listKey = '';
      state.shownStates.clear();
      if (!state.search) refreshNow();
    });
    for (const chip of document.querySelectorAll('.chip[data-reason]')) {
      chip.addEventListener('click', () => {
        $('reprint-reason').value = chip.dataset.reason;
        $('reprint-reason').removeAttribute('aria-invalid');
        setFieldError('reprint-reason-error', '');
        if (chip.dataset.reason === 'large print requested' && !$('large-print-field').hidden) $('reprint-large').checked = true;
        $('reprint-reason').focus();
      });
    }
    $('reprint-large').addEventListener('change', () => {
      if ($('reprint-large').checked && !$('reprint-reason').value.trim()) $('reprint-reason').value = 'large print requested';
    });

    // Who is signed in? 401 simply means nobody yet.
    api('GET', '/v1/session').then(enterApp, (err) => {
      if (err.status === 401) showSignIn();
      else showSignIn('wardprint cannot be reached just now (' + err.message + '). Reload the page to try again.');
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
}());
