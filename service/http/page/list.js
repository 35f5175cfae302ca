// The leaflet list: a ward's leaflets of today and the last 7 days, or the results of a
// search by hospital number or name; announcements when a print state changes.

import { api, handleAuthFailure, query } from './api.js';
import { $, announce, el, setMessage, show } from './dom.js';
import { closeDetail, refreshSelected, selectDoc } from './detail.js';
import { refreshNow } from './refresh.js';
import { displayView, printerName, state, wardName } from './state.js';
import {
  ACTION_KINDS, badge, docDisplayState, isLargePrint, jobDisplayState, needsAction, patientName, procedureText,
} from './states.js';
import { parseTime, siteTime, timeElement } from './time.js';

const RECENT_DAYS = 7;   // today and the 7 days before it
const LIST_LIMIT = 200;
const SEARCH_LIMIT = 50;

export function init() {
  $('search-form').addEventListener('submit', searchSubmit);
  $('search-clear').addEventListener('click', clearSearch);
  $('failed-banner').addEventListener('click', showActionNeeded);
  $('ward-picker').addEventListener('change', () => {
    closeDetail({ moveFocus: false });
    state.ward = $('ward-picker').value;
    state.listKey = '';
    state.shownStates.clear();
    if (!state.search) refreshNow();
  });
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
    ward: state.ward, since: siteTime.daysAgo(RECENT_DAYS).toISOString().replace(/\.\d{3}Z$/, 'Z'), limit: LIST_LIMIT,
  }));
  return (answer && answer.discharges) || [];
}

// Fetches and draws the list; seq is the refresh it belongs to (a newer one wins).
export async function refreshList(seq) {
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
    $('updated').textContent = 'Updated ' + siteTime.clock(new Date());
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
export function noteStateChanges(docs) {
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
        announce('Reprint for ' + patientName(doc) + ' on ' + printerName(job.printer) + ': ' + now.text.toLowerCase() + '.' +
          (job.state === 'failed' && job.last_error ? ' ' + job.last_error : ''));
      }
    }
  }
}

// Draws state.docs, unless what it would draw is what is already there.
export function drawList() {
  const view = displayView();
  const docs = state.docs.map((doc) => ({ doc, display: docDisplayState(doc, view) }));
  // The site's day is in the key, so that "Today" moves on at midnight; the display states,
  // so that a job that has waited too long at a stopped printer turns "stuck".
  const key = JSON.stringify([state.search, state.ward, state.selectedId, siteTime.zone, siteTime.dayKey(new Date()),
    docs.map(({ doc: d, display }) => [d.id, d.state, d.discharged_at, d.patient, d.procedure, display,
      (d.print_jobs || []).map((j) => [j.id, j.state, j.attempts, j.last_error])])]);
  if (key === state.listKey) return;
  state.listKey = key;

  // Keep keyboard focus on the same leaflet's button across a redraw.
  const focused = document.activeElement;
  const focusedId = focused && focused.closest && focused.closest('#leaflet-list') ? focused.dataset.docId : null;

  const container = $('leaflet-list');
  container.replaceChildren(...(state.search ? searchResults(docs) : recentLeaflets(docs)));
  drawActionBanner(docs.filter(({ display }) => needsAction(display)));

  if (focusedId) {
    const again = container.querySelector('button[data-doc-id="' + CSS.escape(focusedId) + '"]');
    if (again) again.focus();
  }
}

const chooseHint = () => el('p', { className: 'hint list-hint' }, 'Choose a patient to preview or reprint their leaflet.');

// Leaflets needing action first (in ACTION_KINDS order), the rest as they came.
const actionRank = ({ display }) => {
  const rank = ACTION_KINDS.findIndex((kind) => kind.key === display.key);
  return rank < 0 ? ACTION_KINDS.length : rank;
};
const actionFirst = (docs) => docs.map((d, i) => [d, i]).sort(([a, i], [b, j]) => actionRank(a) - actionRank(b) || i - j).map(([d]) => d);

function searchResults(docs) {
  const what = [state.search.hospital_number && ('hospital number ' + state.search.hospital_number),
    state.search.name && ('name containing “' + state.search.name + '”')].filter(Boolean).join(' and ');
  const nodes = [el('p', { className: 'list-summary' },
    docs.length ? (docs.length + ' leaflet' + (docs.length === 1 ? '' : 's') + ' with ' + what + '.') : 'No leaflets with ' + what + ' on your wards.')];
  if (docs.length) nodes.push(chooseHint(), leafletTable(actionFirst(docs), 'Search results', true));
  return nodes;
}

// Leaflets needing action (failed, stuck at a printer…), then the rest of today's (the
// site's today) and of the last 7 days. Each leaflet is listed once.
function recentLeaflets(docs) {
  const todayKey = siteTime.dayKey(new Date());
  const action = actionFirst(docs.filter(({ display }) => needsAction(display)));
  const rest = docs.filter((d) => !action.includes(d));
  const today = rest.filter(({ doc }) => { const t = parseTime(doc.discharged_at); return t && siteTime.dayKey(t) === todayKey; });
  const earlier = rest.filter((d) => !today.includes(d));
  const nodes = [];
  if (docs.length) nodes.push(chooseHint());
  if (action.length) {
    nodes.push(el('h3', { className: 'group-title group-title--action', id: 'action-title', tabindex: '-1' },
      'Needs action ', el('span', { className: 'count' }, '(' + action.length + ')')));
    nodes.push(leafletTable(action, 'Leaflets that need action: failed, stuck at a printer, or to print by hand', false));
  }
  nodes.push(el('h3', { className: 'group-title', id: 'today-title' }, 'Today ', el('span', { className: 'count' }, '(' + today.length + ')')));
  nodes.push(today.length ? leafletTable(today, 'Leaflets for patients who went home today', false)
    : el('p', { className: 'empty' }, 'No leaflets yet today for ' + wardName(state.ward) + '.'));
  nodes.push(el('h3', { className: 'group-title', id: 'earlier-title' }, 'Last 7 days ', el('span', { className: 'count' }, '(' + earlier.length + ')')));
  nodes.push(earlier.length ? leafletTable(earlier, 'Leaflets from the last 7 days', false)
    : el('p', { className: 'empty' }, 'None in the last 7 days.'));
  return nodes;
}

// "1 leaflet failed to print. 2 leaflets are stuck at a printer." as a button that shows them.
function drawActionBanner(action) {
  const banner = $('failed-banner');
  if (!action.length) {
    show(banner, false);
    return;
  }
  const sentences = ACTION_KINDS.map((kind) => {
    const count = action.filter(({ display }) => display.key === kind.key).length;
    if (!count) return null;
    return count === 1 ? '1 leaflet ' + kind.one + '.' : count + ' leaflets ' + kind.many + '.';
  }).filter(Boolean);
  setMessage(banner, '', 'error');
  banner.replaceChildren(el('button', { type: 'button', className: 'banner-button', id: 'action-banner-button' },
    el('strong', null, sentences.join(' ')), ' ',
    el('span', { className: 'banner-button__go' }, state.search ? 'They are listed first.' : 'Show them first in the list.')));
  show(banner, true);
}

// The banner's button: the leaflets needing action, first in the list, with focus on the first.
function showActionNeeded(event) {
  if (!event.target.closest('button')) return;
  const first = $('leaflet-list').querySelector('tr.leaflet-row button.link-button');
  const heading = $('action-title');
  (heading || first || $('leaflet-list')).scrollIntoView({ block: 'start' });
  if (first) first.focus({ preventScroll: true });
}

function leafletTable(docs, caption, showWard) {
  const head = el('tr', null,
    el('th', { scope: 'col', className: 'col-patient' }, 'Patient'),
    el('th', { scope: 'col', className: 'col-number' }, 'Hospital number'),
    el('th', { scope: 'col', className: 'col-procedure' }, 'Procedure'),
    showWard ? el('th', { scope: 'col', className: 'col-ward' }, 'Ward') : null,
    el('th', { scope: 'col', className: 'col-time' }, 'Went home'),
    el('th', { scope: 'col', className: 'col-state' }, 'Print state'));
  const rows = docs.map(({ doc, display }) => {
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
    el('td', { className: 'cell-number', 'data-label': 'Hospital number' },
      el('span', { className: 'ident' }, (doc.patient && doc.patient.hospital_number) || '')),
    el('td', { className: 'cell-procedure', 'data-label': 'Procedure' }, el('span', { className: 'ident' }, procedureText(doc.procedure))),
    showWard ? el('td', { 'data-label': 'Ward' }, wardName(doc.ward)) : null,
    el('td', { className: 'cell-time', 'data-label': 'Went home' }, timeElement(doc.discharged_at, siteTime.shortTime(doc.discharged_at))),
    el('td', { className: 'cell-state', 'data-label': 'Print state' }, badge(display),
      display.detail ? el('span', { className: 'state-detail' }, display.detail) : null));
  });
  return el('div', { className: 'table-wrap' },
    el('table', { className: 'leaflets-table' }, el('caption', { className: 'visually-hidden' }, caption),
      el('thead', null, head), el('tbody', null, rows)));
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
  // Another patient's results: the open leaflet and its reprint form go, so that no reprint
  // for the patient before is one click away.
  closeDetail({ moveFocus: false });
  state.search = { hospital_number: number, name };
  state.listKey = '';
  show($('search-clear'), true);
  $('leaflets-title').textContent = 'Search results';
  refreshNow().then(() => announce($('leaflet-list').querySelector('.list-summary')?.textContent || ''));
}

function clearSearch() {
  closeDetail({ moveFocus: false });
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
