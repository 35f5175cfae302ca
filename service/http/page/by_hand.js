// The by-hand form: a leaflet for a discharge the ward system did not send (its feed is
// down, or the patient left before the message came). The service checks it as it checks
// the feed's events and audits it; every problem it names is shown on its field.

import { api, handleAuthFailure } from './api.js';
import { $, announce, el, setMessage } from './dom.js';
import { selectDoc } from './detail.js';
import { refreshNow } from './refresh.js';
import { state, wardName } from './state.js';
import { siteTime } from './time.js';

let eventId = '';   // one per opening of the form, so that sending twice prints once

export function init() {
  $('by-hand-open').addEventListener('click', open);
  $('by-hand-cancel').addEventListener('click', () => $('by-hand').close());
  $('by-hand-form').addEventListener('submit', submit);
  $('by-hand').addEventListener('close', () => $('by-hand-fields').replaceChildren());
}

function inputs() { return [...$('by-hand-form').querySelectorAll('[data-field]')]; }

function open() {
  $('by-hand-fields').replaceChildren($('by-hand-template').content.cloneNode(true));
  setMessage($('by-hand-message'), '');
  eventId = 'hand-' + crypto.randomUUID();
  const wards = state.wards.map((w) => el('option', { value: w.id }, wardName(w.id)));
  $('hand-ward').replaceChildren(...wards);
  if (state.ward) $('hand-ward').value = state.ward;
  $('hand-discharged').value = localInputValue(new Date());
  $('by-hand').showModal();
  $('hand-given').focus();
}

// "2026-12-02T14:30" for now in the site's zone, as a datetime-local input shows it.
function localInputValue(date) {
  const p = siteTime.parts(date);
  const two = (n) => String(n).padStart(2, '0');
  return p.year + '-' + two(p.month) + '-' + two(p.day) + 'T' + two(p.hour) + ':' + two(p.minute);
}

// The instant a datetime-local value names in the site's zone, as RFC 3339 in UTC.
function siteInstant(value) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!match) return value;
  const [year, month, day, hour, minute] = match.slice(1).map(Number);
  const midnight = siteTime.midnight(year, month, day).getTime();
  const guess = new Date(midnight + (hour * 60 + minute) * 60000);
  // Across a change of the clocks that day, correct by the difference the zone shows.
  const shown = siteTime.parts(guess);
  const drift = ((shown.hour - hour) * 60 + (shown.minute - minute)) * 60000;
  return new Date(guess.getTime() - (Math.abs(drift) <= 3600000 ? drift : 0)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function eventFromForm() {
  const value = (id) => $(id).value.trim();
  const patient = { family_name: value('hand-family'), hospital_number: value('hand-number'), date_of_birth: value('hand-born') };
  if (value('hand-given')) patient.given_name = value('hand-given');
  if (value('hand-nhs')) patient.nhs_number = value('hand-nhs').replace(/\s+/g, '');
  const event = {
    event_id: eventId,
    discharged_at: siteInstant(value('hand-discharged')),
    ward: $('hand-ward').value,
    patient,
    procedure: {
      type: $('hand-procedure').value,
      levels: value('hand-levels').split(/[\s,]+/).filter(Boolean).map((level) => level.toUpperCase()),
      performed_at: siteInstant(value('hand-performed')),
      clinician: value('hand-clinician'),
    },
    large_print: $('hand-large').checked,
    copies: Number($('hand-copies').value) || 1,
  };
  if (value('hand-notes')) event.notes = value('hand-notes');
  return event;
}

async function submit(event) {
  event.preventDefault();
  clearProblems();
  const message = $('by-hand-message');
  const button = $('by-hand-submit');
  button.disabled = true;
  setMessage(message, 'Sending…', 'info');
  try {
    const event = eventFromForm();
    const answer = await api('POST', '/v1/discharges/by-hand', event);
    $('by-hand').close();   // takes its fields, and the patient's details, out of the page
    const text = 'The leaflet was sent to ' + wardName(event.ward) + '’s printer.';
    announce(text);
    await refreshNow();
    await selectDoc(answer.id, true);
  } catch (err) {
    if (handleAuthFailure(err)) return $('by-hand').close();
    showRefusal(err);
  } finally {
    button.disabled = false;
  }
}

// Each problem on its field (the field's input named by data-field, "procedure.levels[1]"
// on the levels), and every one in the message, so that none is missed.
function showRefusal(err) {
  const problems = (err.problem && Array.isArray(err.problem.problems)) ? err.problem.problems : [];
  let first = null;
  for (const problem of problems) {
    const input = inputs().find((node) => node.dataset.field === fieldOf(problem));
    if (!input) continue;
    input.setAttribute('aria-invalid', 'true');
    const note = el('p', { className: 'field__error', id: input.id + '-error' }, problem.reason || 'Check this.');
    input.setAttribute('aria-describedby', note.id);
    input.before(note);
    if (!first) first = input;
  }
  const listed = problems.map((p) => {
    const input = inputs().find((node) => node.dataset.field === fieldOf(p));
    const label = input && input.labels && input.labels[0] ? input.labels[0].textContent : p.field;
    return (label ? label + ': ' : '') + (p.reason || '');
  });
  setMessage($('by-hand-message'), 'The leaflet was not printed. ' +
    (listed.length ? 'Please check: ' + listed.join('; ') + '.' : err.message), 'error');
  (first || $('by-hand-message')).focus?.();
}

// "procedure.levels[1]" -> "procedure.levels": the form has one input for the list.
function fieldOf(problem) {
  return String(problem.field || '').replace(/\[\d+\]$/, '');
}

function clearProblems() {
  for (const note of $('by-hand-form').querySelectorAll('.field__error')) note.remove();
  for (const input of inputs()) {
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
  }
}
