// The printers panel: every printer the user may print to, its state and its problems.

import { api, handleAuthFailure } from './api.js';
import { $, el } from './dom.js';
import { drawPrinterChoices } from './reprint.js';
import { state } from './state.js';
import { badge, printerDisplay, printerReasons } from './states.js';

export async function refreshPrinters() {
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

function printerNotes(printer, display) {
  const notes = [];
  if (printer.accepting_jobs === false) notes.push(el('li', { className: 'printer__note printer__note--error' }, 'Not accepting jobs'));
  for (const r of printerReasons(printer)) {
    notes.push(el('li', { className: 'printer__note' + (r.severity === 'error' || display.key === 'failed' ? ' printer__note--error' : ''), title: r.raw },
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
  list.replaceChildren(el('ul', { className: 'printers-list' }, state.printers.map((printer) => {
    const display = printerDisplay(printer);
    const notes = printerNotes(printer, display);
    return el('li', { className: 'printer printer--' + display.key, dataset: { printer: printer.name } },
      el('div', { className: 'printer__head' }, el('span', { className: 'printer__name' }, printer.name), badge(display)),
      notes.length ? el('ul', { className: 'printer__notes' }, notes) : null);
  })));
}
