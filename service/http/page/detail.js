// The leaflet pane: one document's facts, its print jobs and a preview of its pages.

import { api, handleAuthFailure } from './api.js';
import { $, announce, el, keepingDetailsOpen, show } from './dom.js';
import { drawList, noteStateChanges } from './list.js';
import { drawLanguageChoices, drawPrinterChoices, resetReprintForm } from './reprint.js';
import { displayView, printerName, state, wardName } from './state.js';
import {
  badge, birthDateText, docDisplayState, errorInWords, isLargePrint, jobDisplayState, patientName, procedureText,
} from './states.js';
import { siteTime, timeElement } from './time.js';

export function init() {
  $('detail-close').addEventListener('click', () => closeDetail({ moveFocus: true }));
}

// Opens the document in the pane (fetching it when the list does not hold it).
export async function selectDoc(id, moveFocus) {
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

// Redraws the open document from the list just fetched, or fetches it when the list no
// longer holds it (an older leaflet found by a search).
export async function refreshSelected() {
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

// Closes the open leaflet and empties its pane and reprint form; with moveFocus, focus goes
// back to the leaflet's row (or the search box).
export function closeDetail({ moveFocus }) {
  const id = state.selectedId;
  if (!id) return;
  state.selectedId = null;
  state.selectedDoc = null;
  show($('detail'), false);
  $('detail-title').textContent = 'Leaflet';
  $('detail-patient').replaceChildren();
  $('detail-facts').replaceChildren();
  $('jobs').replaceChildren();
  $('preview').replaceChildren();
  resetReprintForm();
  document.querySelector('.layout').classList.remove('layout--with-detail');
  state.listKey = '';
  drawList();
  if (!moveFocus) return;
  const button = $('leaflet-list').querySelector('button[data-doc-id="' + CSS.escape(id) + '"]');
  (button || $('search-number')).focus();
}

// Who the open leaflet is for, under the pane's title that names them (both stay in view
// while the pane scrolls).
function drawPatient(doc) {
  const patient = doc.patient || {};
  const born = birthDateText(patient.date_of_birth);
  $('detail-patient').replaceChildren(
    el('p', { className: 'detail-patient__ids' },
      el('span', null, 'Hospital number ', el('strong', { className: 'ident mono', id: 'detail-hospital-number' }, patient.hospital_number || '')),
      born ? el('span', null, 'Born ', el('strong', { className: 'ident', id: 'detail-born' }, born)) : null));
}

function drawDetail(newDocument) {
  const doc = state.selectedDoc;
  if (!doc) return;
  const display = docDisplayState(doc, displayView());
  drawPatient(doc);
  $('detail-title').textContent = (isLargePrint(doc) ? 'Large-print leaflet for ' : 'Leaflet for ') + patientName(doc);
  const facts = [
    ['Procedure', el('span', { className: 'ident' }, procedureText(doc.procedure))],
    ['Ward', wardName(doc.ward)],
    ['Went home', timeElement(doc.discharged_at, siteTime.longTime(doc.discharged_at))],
    ['Print state', el('span', null, badge(display), display.detail ? el('span', { className: 'state-detail' }, display.detail) : null)],
    ['Leaflet', (isLargePrint(doc) ? 'Large print · ' : '') + (doc.layout ? doc.layout.id + ' version ' + doc.layout.version : '')],
    ['Document id', el('span', { className: 'mono ident' }, doc.id)],
  ];
  $('detail-facts').replaceChildren(...facts.flatMap(([term, value]) => [el('dt', null, term), el('dd', null, value)]));
  drawJobs(doc);
  drawPreview(doc, newDocument);
  show($('large-print-field'), Boolean(doc.large_print_available));
  if (!doc.large_print_available) $('reprint-large').checked = false;
  drawLanguageChoices(doc);
  drawPrinterChoices();
}

// The download link, and the leaflet's pages as pictures drawn by the server (loaded again
// only for another document). No PDF viewer: its print button would print with no reason
// and no audit row, so the only way to print from this page is Reprint.
function drawPreview(doc, newDocument) {
  const pdfUrl = doc.pdf_url || ('/v1/discharges/' + encodeURIComponent(doc.id) + '/pdf');
  $('download').setAttribute('href', pdfUrl + (pdfUrl.includes('?') ? '&' : '?') + 'download=1');
  $('download').setAttribute('download', doc.id + '.pdf');
  const preview = $('preview');
  if (!newDocument && preview.dataset.docId === doc.id && preview.firstChild) return;
  preview.dataset.docId = doc.id;
  preview.replaceChildren(el('p', { className: 'hint' }, 'Drawing the leaflet…'));
  drawPages(preview, doc).catch(() => {
    if (preview.dataset.docId === doc.id) {
      preview.replaceChildren(el('p', { className: 'hint' }, 'The preview could not be drawn. Reprint still works.'));
    }
  });
}

// Page 1 says how many pages there are (X-Page-Count); the others load as plain images.
async function drawPages(preview, doc) {
  const base = '/v1/discharges/' + encodeURIComponent(doc.id) + '/pages/';
  const response = await fetch(base + '1.png', { credentials: 'same-origin', cache: 'no-store' });
  if (!response.ok) throw new Error('HTTP ' + response.status);
  const count = Math.max(1, Number(response.headers.get('X-Page-Count')) || 1);
  const firstUrl = URL.createObjectURL(await response.blob());
  if (preview.dataset.docId !== doc.id) {  // another leaflet was opened meanwhile
    URL.revokeObjectURL(firstUrl);
    return;
  }
  const page = (n, src) => el('img', {
    src, className: 'preview__page',
    alt: 'Page ' + n + ' of ' + count + ' of the leaflet for ' + patientName(doc),
  });
  const first = page(1, firstUrl);
  first.addEventListener('load', () => URL.revokeObjectURL(firstUrl), { once: true });
  const pages = [first];
  for (let n = 2; n <= count; n++) pages.push(page(n, base + n + '.png'));
  preview.replaceChildren(...pages);
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
        el('span', { className: 'job__printer' }, printerName(job.printer || '')),
        tracked ? el('span', { className: 'job__new' }, 'your reprint') : null),
      el('div', { className: 'job__meta' },
        (job.copies || 1) + (job.copies === 1 || !job.copies ? ' copy' : ' copies'),
        job.reason ? ' · ' + job.reason : '',
        job.requested_by ? ' · by ' + job.requested_by : '',
        ' · ', timeElement(job.created_at, siteTime.shortTime(job.created_at)),
        job.completed_at && job.state === 'printed' ? el('span', null, ' · printed ', timeElement(job.completed_at, siteTime.shortTime(job.completed_at))) : null,
        (job.attempts || 0) > 1 ? ' · ' + job.attempts + ' attempts' : ''),
      (job.earlier_printers || []).map((earlier) => el('div', { className: 'job__error job__earlier' },
        el('strong', null, printerName(earlier.printer) + ' failed' + (earlier.attempts ? ' (' + attemptsText(earlier.attempts) + ')' : '') + ': '),
        errorWithDetail(earlier.error || 'no reason was recorded', '. Sent on to ' + printerName(job.printer) + '.',
          job.id + '-' + earlier.printer))),
      job.last_error ? el('div', { className: 'job__error' }, el('strong', null, job.state === 'failed' ? 'Why it failed: ' : 'Last problem: '), errorWithDetail(job.last_error, '', String(job.id))) : null,
      job.also_printed_on ? el('p', { className: 'job__error' }, el('strong', null, 'Printed twice: '),
        'also printed on ' + printerName(job.also_printed_on) + ' after it recovered. Check there is not a spare copy.') : null,
      job.may_also_have_printed_on ? el('p', { className: 'job__error' }, el('strong', null, 'May have printed twice: '),
        printerName(job.may_also_have_printed_on) + ' restarted and lost track of this job, so it may have printed there too. Check for a spare copy.') : null);
  });
  keepingDetailsOpen($('jobs'), () => $('jobs').replaceChildren(el('ul', { className: 'jobs', 'aria-label': 'Print jobs, newest first' }, rows)));
}

const attemptsText = (n) => n + (n === 1 ? ' attempt' : ' attempts');

// An error in words and what follows it, with what the printer said behind a disclosure
// (`key` keeps it open across redraws) when that differs.
function errorWithDetail(error, after, key) {
  const words = errorInWords(error);
  return [words.text + after, words.detail ? el('details', { className: 'ipp-detail', dataset: { key } },
    el('summary', null, 'Printer’s own words'), el('code', null, words.detail)) : null];
}
