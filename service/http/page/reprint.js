// The reprint form of the leaflet pane: printer, copies, reason, large print; field errors
// from the page's own checks and from the service's problem answer.

import { api, handleAuthFailure } from './api.js';
import { $, announce, el, setMessage, show } from './dom.js';
import { selectDoc } from './detail.js';
import { refreshNow } from './refresh.js';
import { printerName, state, wardPrinter } from './state.js';
import { patientName, printerSummary } from './states.js';

const FIELD_INPUTS = { copies: 'reprint-copies', reason: 'reprint-reason', printer: 'reprint-printer', large_print: 'reprint-large', language: 'reprint-language' };
const FIELD_ERRORS = { copies: 'reprint-copies-error', reason: 'reprint-reason-error', printer: 'reprint-printer-error', large_print: 'reprint-large-error', language: 'reprint-language-error' };

export function init() {
  $('reprint-form').addEventListener('submit', reprint);
  $('reprint-printer').addEventListener('change', () => { $('reprint-printer').dataset.touched = 'true'; });
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
}

// The languages the open document can be reprinted in, its own first chosen; shown only
// when there is more than one.
export function drawLanguageChoices(doc) {
  const languages = (doc && doc.languages_available) || [];
  const select = $('reprint-language');
  const key = doc ? doc.id + ':' + languages.join(',') : '';
  show($('language-field'), languages.length > 1);
  if (select.dataset.key === key) return;
  select.dataset.key = key;
  select.replaceChildren(...languages.map((code) => el('option', { value: code }, languageName(code))));
  select.value = doc.language || '';
}

const LANGUAGE_NAMES = { 'en-GB': 'English', 'cy-GB': 'Welsh (Cymraeg)' };
function languageName(code) { return LANGUAGE_NAMES[code] || code; }

// The printer choices for the open document, its ward's printer first chosen; a choice
// the user made stays.
export function drawPrinterChoices() {
  const select = $('reprint-printer');
  const doc = state.selectedDoc;
  const current = select.dataset.touched === 'true' ? select.value : null;
  const ownPrinter = doc ? wardPrinter(doc.ward) : null;
  const options = [];
  if (!ownPrinter) options.push(el('option', { value: '' }, 'The ward’s own printer'));
  for (const printer of state.printers) {
    const label = printerName(printer.name) + (printer.name === ownPrinter ? ' (ward printer)' : '') + ' – ' + printerSummary(printer);
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

export function resetReprintForm() {
  const form = $('reprint-form');
  form.reset();
  $('reprint-copies').value = '1';
  $('reprint-language').dataset.key = '';
  $('reprint-printer').dataset.touched = 'false';
  $('reprint-printer').dataset.key = '';
  clearFieldErrors();
  setMessage($('reprint-message'), '');
}

function clearFieldErrors() {
  for (const id of Object.values(FIELD_ERRORS)) setFieldError(id, '');
  for (const id of Object.values(FIELD_INPUTS)) $(id).removeAttribute('aria-invalid');
}

function setFieldError(id, text) {
  const node = $(id);
  node.textContent = text || '';
  show(node, Boolean(text));
}

// Marks the fields named by the problems; returns the first such input and the problems
// that name no field of the form.
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
  const language = $('reprint-language').value;
  if (!$('language-field').hidden && language && language !== doc.language) body.language = language;

  const button = $('reprint-submit');
  button.disabled = true;
  setMessage(message, 'Sending…', 'info');
  try {
    await send(doc, body);
  } catch (err) {
    if (!handleAuthFailure(err)) await refused(err);
  } finally {
    button.disabled = false;
  }
}

async function send(doc, body) {
  const message = $('reprint-message');
  const answer = await api('POST', '/v1/discharges/' + encodeURIComponent(doc.id) + '/reprint', body);
  const printer = body.printer || wardPrinter(doc.ward);
  const where = printer ? printerName(printer) : 'the ward’s printer';
  state.trackedJobs.set(String(answer.job_id), 'queued');
  // Names the patient, so that a nurse sees at once whose leaflet is coming out.
  const text = (body.large_print ? 'Large-print reprint' : 'Reprint') + (body.language ? ' in ' + languageName(body.language) : '') + ' for ' + patientName(doc) +
    ' (hospital number ' + ((doc.patient && doc.patient.hospital_number) || 'unknown') + ') sent to ' + where +
    ' (' + body.copies + (body.copies === 1 ? ' copy' : ' copies') + '). Its progress shows under Print jobs.';
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
}

// Says why the service did not reprint: on the fields it names, or in the message.
async function refused(err) {
  const message = $('reprint-message');
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
}
