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

// {key, text, detail}: key picks the badge's look; text is what it says.
export function docDisplayState(doc) {
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

export function jobDisplayState(job) {
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

// {key, text} of a printer from GET /v1/printers.
export function printerDisplay(printer) {
  const known = PRINTER_STATES[printer.reachable === false ? 'unreachable' : printer.state];
  if (known && known.key === 'failed') return known;
  // Still "processing", but jammed or out of paper: someone has to go to it.
  if (printerReasons(printer).some((r) => r.severity === 'error')) return { key: 'failed', text: 'Needs attention' };
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
