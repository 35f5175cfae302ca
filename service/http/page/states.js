// Documents, print jobs and printers in the words a nurse reads, and the badge classes that
// give each state its look. Pure apart from badge(), which builds the element.

import { el } from './dom.js';

// The most recently created of a document's print jobs, or null.
export function latestJob(doc) {
  const jobs = Array.isArray(doc.print_jobs) ? doc.print_jobs : [];
  let latest = null;
  for (const job of jobs) {
    if (!latest || String(job.created_at || '') >= String(latest.created_at || '')) latest = job;
  }
  return latest;
}

// Queued again after a try that did not work: waiting for the printer.
function isWaiting(job) {
  return Boolean(job) && (job.state === 'queued' || job.state === 'submitting') &&
    ((job.attempts || 0) > 0 || Boolean(job.last_error));
}

// What the page knows beyond the document itself, for docDisplayState: printer names, the
// printers' states, and how long a job may wait at a stopped printer before it counts as stuck.
const NO_VIEW = { printerName: (id) => id, printers: [], stuckAfterMs: Infinity, now: 0 };

// "Ward 7 printer failed: paper jam" for each printer the newest job failed on, oldest first.
function failedOnText(doc, view) {
  return (Array.isArray(doc.failed_on) ? doc.failed_on : [])
    .map((f) => view.printerName(f.printer) + ' failed' + (f.error ? ': ' + errorInWords(f.error).text : ''));
}

// A job waiting on a printer that needs someone (jammed, out of paper, stopped, out of
// reach) for longer than the page's threshold: {printer, reasons}, else null.
function stuckAt(job, view) {
  if (!job || !['queued', 'submitting', 'printing'].includes(job.state)) return null;
  const since = parseIso(job.updated_at || job.created_at);
  if (!since || view.now - since < view.stuckAfterMs) return null;
  const printer = view.printers.find((p) => p.name === job.printer);
  if (!printer || printerDisplay(printer).key !== 'failed') return null;
  return printer;
}

const parseIso = (iso) => { const t = Date.parse(iso || ''); return Number.isNaN(t) ? 0 : t; };

// Reasons for not printing that need nothing from a nurse (not_printed_code); any other,
// such as no leaflet for the procedure or a name no font can draw, needs printing by hand.
const NOTHING_TO_DO = ['died', 'too_old', 'not_discharged'];

// {key, text, detail}: key picks the badge's look; text is what it says. `view` (see
// NO_VIEW) lets it name printers and tell a stuck job from one merely printing.
export function docDisplayState(doc, view = NO_VIEW) {
  const job = latestJob(doc);
  const failedOn = failedOnText(doc, view);
  switch (doc.state) {
    case 'printed':
      if (doc.cancelled_at) {
        return { key: 'printed', text: 'Printed',
          detail: 'The ward system cancelled this discharge after its leaflet had gone to the printer.' };
      }
      if (!failedOn.length) return { key: 'printed', text: 'Printed' };
      return { key: 'printed', text: 'Printed', detail: 'Printed on ' + view.printerName(doc.printed_on || doc.printer) + ' — ' + failedOn.join('; ') };
    case 'cancelled':
      return { key: 'cancelled', text: 'Cancelled by the ward system',
        detail: 'The ward system cancelled this discharge before its leaflet was printed.' };
    case 'failed':
      return { key: 'failed', text: 'Failed',
        detail: failedOn.length ? failedOn.join('; ') : (job && job.last_error ? errorInWords(job.last_error).text : 'The printer did not print it.') };
    case 'not-printed':
      return { key: NOTHING_TO_DO.includes(doc.not_printed_code) ? 'withheld' : 'not-printed', text: 'Not printed',
        detail: doc.not_printed_reason || '' };
    default: {
      const stuck = stuckAt(job, view);
      if (stuck) {
        const words = printerSummary(stuck);
        return { key: 'stuck', text: 'Stuck at the printer', detail: view.printerName(stuck.name) + ': ' + words };
      }
      if (doc.state === 'printing') return { key: 'printing', text: 'Printing' };
      if (isWaiting(job)) return { key: 'waiting', text: 'Waiting for the printer', detail: job.last_error ? errorInWords(job.last_error).text : '' };
      return { key: 'queued', text: doc.state === 'received' ? 'Received' : 'Sending to the printer' };
    }
  }
}

// The kinds of leaflet a nurse must act on, listed first, in this order. A kind is a
// display key of docDisplayState; its words say what the list's heading counts.
export const ACTION_KINDS = [
  { key: 'failed', one: 'failed to print', many: 'failed to print' },
  { key: 'stuck', one: 'is stuck at a printer', many: 'are stuck at a printer' },
  { key: 'not-printed', one: 'was not printed and may need printing by hand',
    many: 'were not printed and may need printing by hand' },
];

export function needsAction(display) {
  return ACTION_KINDS.some((kind) => kind.key === display.key);
}

export function jobDisplayState(job) {
  switch (job.state) {
    case 'printed': return { key: 'printed', text: 'Printed' };
    case 'printing': return { key: 'printing', text: 'Printing' };
    case 'failed': return { key: 'failed', text: 'Failed' };
    case 'cancelled': return { key: 'cancelled', text: 'Cancelled by the ward system' };
    case 'queued':
    case 'submitting':
    default:
      if (isWaiting(job)) return { key: 'waiting', text: 'Waiting for the printer' };
      return { key: 'queued', text: job.state === 'submitting' ? 'Sending to the printer' : 'Queued' };
  }
}

const BADGE_ICONS = { printed: '✓', failed: '⚠', stuck: '⚠', 'not-printed': '✕' };

// <span class="badge badge--KEY">icon text</span> for a display state.
export function badge(display) {
  return el('span', { className: 'badge badge--' + display.key },
    BADGE_ICONS[display.key] ? el('span', { className: 'badge__icon', 'aria-hidden': 'true' }, BADGE_ICONS[display.key]) : null,
    el('span', { className: 'badge__text' }, display.text));
}

// IPP printer-state-reasons keywords (without -error/-warning/-report) in plain words.
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
  'offline': 'switched off or not connected',
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

// Job-state-reasons a printer gives for a job it did not print, in plain words.
const JOB_REASONS = {
  'aborted-by-system': 'the printer stopped the job itself',
  'job-canceled-at-device': 'someone cancelled it at the printer',
  'job-canceled-by-operator': 'someone cancelled it at the printer',
  'job-canceled-by-user': 'it was cancelled',
  'document-format-error': 'the printer could not read the leaflet',
  'document-unprintable-error': 'the printer could not print the leaflet',
  'document-access-error': 'the printer could not fetch the leaflet',
  'job-data-insufficient': 'the printer got only part of the leaflet',
  'printer-stopped': 'the printer is stopped',
  'resources-are-not-ready': 'the printer is not ready',
  'unsupported-document-format': 'the printer cannot print PDF',
};

// A stored error in plain words: {text, detail}. Printer keywords in brackets at its end
// ("the printer aborted the job (aborted-by-system)") become words; detail keeps the
// original for the IPP disclosure ('' when nothing was translated).
export function errorInWords(error) {
  const raw = String(error || '').trim();
  const match = /^(.*?)\s*\(([a-z0-9-]+(?:[ ,]+[a-z0-9-]+)*)\)$/.exec(raw);
  if (!match) return { text: raw, detail: '' };
  const words = match[2].split(/[ ,]+/).map((k) => JOB_REASONS[k] || (reasonText(k) && reasonText(k).text)).filter(Boolean);
  if (!words.length) return { text: raw, detail: '' };
  return { text: words.join(', '), detail: raw };
}

// {text, severity ('error', 'warning', 'report' or ''), raw} for one reason; null for none.
export function reasonText(reason) {
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

export function printerReasons(printer) {
  return (printer.state_reasons || []).map(reasonText).filter(Boolean);
}

// Jobs failed in a row (GET /v1/printers' recent_failures) that make a printer a problem
// whatever state it reports: one that aborts every job still says "idle".
export const FAILURES_IN_A_ROW = 3;

// {key, text} of a printer from GET /v1/printers.
export function printerDisplay(printer) {
  const known = PRINTER_STATES[printer.reachable === false ? 'unreachable' : printer.state];
  if (known && known.key === 'failed') return known;
  // Still "processing", but jammed or out of paper: someone has to go to it.
  if (printerReasons(printer).some((r) => r.severity === 'error')) return { key: 'failed', text: 'Needs attention' };
  if ((printer.recent_failures || 0) >= FAILURES_IN_A_ROW) return { key: 'failed', text: 'Last ' + FAILURES_IN_A_ROW + ' jobs failed' };
  return known || { key: 'queued', text: String(printer.state || 'unknown') };
}

// "ready, paper low"
export function printerSummary(printer) {
  const words = [printerDisplay(printer).text.toLowerCase()];
  for (const r of printerReasons(printer)) words.push(r.text);
  return words.join(', ');
}

// A large-print leaflet is a document of its own; say so wherever it is listed.
export function isLargePrint(doc) {
  if (typeof doc.large_print === 'boolean') return doc.large_print;
  return Boolean(doc.layout && /\.large$/.test(String(doc.layout.id || '')));
}

// "2 March 1948" for a date of birth "1948-03-02"; '' when there is none.
export function birthDateText(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso || ''));
  if (!match) return '';
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}

export function patientName(doc) {
  return (doc.patient && doc.patient.name) || 'this patient';
}

// "Vertebroplasty (T12, L1)"
export function procedureText(procedure) {
  if (!procedure) return '';
  if (typeof procedure === 'string') return procedure.charAt(0).toUpperCase() + procedure.slice(1);
  const type = procedure.type ? procedure.type.charAt(0).toUpperCase() + procedure.type.slice(1) : '';
  const levels = Array.isArray(procedure.levels) ? ' (' + procedure.levels.join(', ') + ')' : '';
  return type + levels;
}
