// The printers panel: every printer the user may print to, its state and its problems.

import { api, handleAuthFailure } from './api.js';
import { $, el, keepingDetailsOpen } from './dom.js';
import { drawList } from './list.js';
import { drawPrinterChoices } from './reprint.js';
import { state } from './state.js';
import { badge, FAILURES_IN_A_ROW, printerDisplay, printerReasons } from './states.js';

export async function refreshPrinters() {
  try {
    const answer = await api('GET', '/v1/printers');
    if (!state.session) return;
    state.printers = (answer && Array.isArray(answer.printers)) ? answer.printers : [];
    drawPrinters();
    drawStrip();
    // Printer names and states are part of how leaflets are listed (once the list is drawn).
    if (state.listKey) drawList();
    if (state.selectedDoc) drawPrinterChoices();
  } catch (err) {
    if (handleAuthFailure(err)) return;
    $('printer-list').replaceChildren(el('p', { className: 'message message--error' }, 'Cannot check the printers: ' + err.message));
  }
}

function printerNotes(printer, display) {
  const notes = [];
  if (printer.accepting_jobs === false) notes.push(el('li', { className: 'printer__note printer__note--error' }, 'Not accepting jobs'));
  if ((printer.recent_failures || 0) >= FAILURES_IN_A_ROW) {
    notes.push(el('li', { className: 'printer__note printer__note--error' },
      'Check it before sending more: its last ' + FAILURES_IN_A_ROW + ' jobs did not print.'));
  }
  for (const r of printerReasons(printer)) {
    notes.push(el('li', { className: 'printer__note' + (r.severity === 'error' || display.key === 'failed' ? ' printer__note--error' : '') },
      r.text.charAt(0).toUpperCase() + r.text.slice(1)));
  }
  for (const problem of printer.problems || []) {
    const text = typeof problem === 'string' ? problem : (problem.reason || problem.detail || JSON.stringify(problem));
    notes.push(el('li', { className: 'printer__note printer__note--error' }, 'Set-up problem: ' + text));
  }
  return notes;
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
  keepingDetailsOpen(list, () => list.replaceChildren(el('ul', { className: 'printers-list' }, state.printers.map((printer) => {
    const display = printerDisplay(printer);
    const notes = printerNotes(printer, display);
    return el('li', { className: 'printer printer--' + display.key, dataset: { printer: printer.name } },
      el('div', { className: 'printer__head' }, el('span', { className: 'printer__name' }, printer.display_name || printer.name), badge(display)),
      printer.location ? el('p', { className: 'printer__location' }, printer.location) : null,
      notes.length ? el('ul', { className: 'printer__notes' }, notes) : null,
      ippDetails(printer));
  }))));
}

// What the printer itself reports, for whoever mends it.
function ippDetails(printer) {
  const lines = ['printer id: ' + printer.name, 'state: ' + (printer.state || 'unknown'),
    'reasons: ' + ((printer.state_reasons || []).join(', ') || 'none')];
  if (printer.error) lines.push('error: ' + printer.error);
  if (printer.uri) lines.push('address: ' + printer.uri);
  return el('details', { className: 'ipp-detail', dataset: { key: printer.name } }, el('summary', null, 'Details from the printer'),
    el('pre', null, lines.join('\n')));
}

// One line per printer at the top of the screen: its name and state in words, problems red.
function drawStrip() {
  const strip = $('printer-strip');
  strip.replaceChildren(el('span', { className: 'printer-strip__label' }, 'Printers:'), ...state.printers.map((printer) => {
    const display = printerDisplay(printer);
    const reasons = printerReasons(printer).map((r) => r.text);
    return el('span', { className: 'printer-strip__item printer-strip__item--' + display.key, dataset: { printer: printer.name } },
      el('strong', null, printer.display_name || printer.name), ': ',
      [display.text.toLowerCase()].concat(reasons).join(', '));
  }));
}
