// Unit tests of the nurse page's service/http/page/states.js: the words a nurse reads for
// documents, print jobs and printers. No browser needed.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  birthDateText, docDisplayState, errorInWords, isLargePrint, jobDisplayState, latestJob, needsAction, patientName,
  printerDisplay, printerSummary, procedureText, reasonText,
} from '../../service/http/page/states.js';

const job = (fields) => ({ id: 1, created_at: '2026-12-02T10:00:00Z', state: 'queued', attempts: 0, ...fields });

describe('docDisplayState', () => {
  const cases = [
    // document, expected {key, text, detail?}
    [{ state: 'printed' }, { key: 'printed', text: 'Printed' }],
    [{ state: 'printing' }, { key: 'printing', text: 'Printing' }],
    [{ state: 'received' }, { key: 'queued', text: 'Received' }],
    [{ state: 'queued', print_jobs: [job({})] }, { key: 'queued', text: 'Sending to the printer' }],
    [{ state: 'queued', print_jobs: [job({ attempts: 1, last_error: 'printer is not answering' })] },
      { key: 'waiting', text: 'Waiting for the printer', detail: 'printer is not answering' }],
    [{ state: 'failed', print_jobs: [job({ state: 'failed', last_error: 'out of paper' })] },
      { key: 'failed', text: 'Failed', detail: 'out of paper' }],
    [{ state: 'failed' }, { key: 'failed', text: 'Failed', detail: 'The printer did not print it.' }],
    [{ state: 'something-new' }, { key: 'queued', text: 'Sending to the printer' }],
  ];
  for (const [doc, expected] of cases) {
    test(JSON.stringify(doc), () => assert.deepEqual(docDisplayState(doc), expected));
  }
  test('the latest job decides', () => {
    const old = job({ id: 1, created_at: '2026-12-02T09:00:00Z', attempts: 3, last_error: 'jam' });
    const fresh = job({ id: 2, created_at: '2026-12-02T10:00:00Z' });
    assert.equal(latestJob({ print_jobs: [fresh, old] }), fresh);
    assert.deepEqual(docDisplayState({ state: 'queued', print_jobs: [fresh, old] }), { key: 'queued', text: 'Sending to the printer' });
    assert.equal(latestJob({}), null);
  });
});

describe('docDisplayState with what the page knows: where it printed, stuck, not printed', () => {
  const names = { 'ward-7-laser': 'Ward 7 printer', 'ward-8-laser': 'Ward 8 printer' };
  const jammed = { name: 'ward-7-laser', state: 'processing', state_reasons: ['media-jam-error'] };
  const view = (fields) => ({ printerName: (id) => names[id] || id, printers: [jammed], stuckAfterMs: 120000,
    now: Date.parse('2026-12-02T10:05:00Z'), ...fields });
  const aborted = 'the printer aborted the job (aborted-by-system)';

  test('printed on the fallback names both printers and the reason in words', () => {
    const doc = { state: 'printed', printer: 'ward-8-laser', printed_on: 'ward-8-laser',
      failed_on: [{ printer: 'ward-7-laser', attempts: 1, error: aborted }] };
    assert.deepEqual(docDisplayState(doc, view()), { key: 'printed', text: 'Printed',
      detail: 'Printed on Ward 8 printer — Ward 7 printer failed: the printer stopped the job itself' });
  });
  test('failed on both printers names both', () => {
    const doc = { state: 'failed', failed_on: [{ printer: 'ward-7-laser', error: aborted }, { printer: 'ward-8-laser', error: 'out of paper' }] };
    assert.equal(docDisplayState(doc, view()).detail,
      'Ward 7 printer failed: the printer stopped the job itself; Ward 8 printer failed: out of paper');
  });
  test('printing at a jammed printer for longer than the threshold is stuck', () => {
    const doc = { state: 'printing', print_jobs: [job({ state: 'printing', printer: 'ward-7-laser', updated_at: '2026-12-02T10:02:00Z' })] };
    const display = docDisplayState(doc, view());
    assert.deepEqual(display, { key: 'stuck', text: 'Stuck at the printer', detail: 'Ward 7 printer: needs attention, paper jam' });
    assert.equal(needsAction(display), true);
    assert.equal(docDisplayState(doc, view({ stuckAfterMs: 300000 })).key, 'printing', 'not yet past the threshold');
    assert.equal(docDisplayState(doc, view({ printers: [{ ...jammed, state_reasons: [] }] })).key, 'printing',
      'a printer that is only busy is not a reason');
    assert.equal(needsAction(docDisplayState(doc, view({ stuckAfterMs: 300000 }))), false);
  });
  test('a discharge not printed (a later kind) needs action too', () => {
    const display = docDisplayState({ state: 'not-printed', not_printed_reason: 'the patient died' }, view());
    assert.deepEqual(display, { key: 'not-printed', text: 'Not printed', detail: 'the patient died' });
    assert.equal(needsAction(display), true);
  });
  test('not printed needs a nurse only when a leaflet may still be wanted', () => {
    const cases = [['no_leaflet', true], ['no_font', true], ['died', false], ['too_old', false], ['not_discharged', false]];
    for (const [code, action] of cases) {
      const display = docDisplayState({ state: 'not-printed', not_printed_code: code, not_printed_reason: 'why' }, view());
      assert.equal(needsAction(display), action, code);
      assert.equal(display.text, 'Not printed', code);
    }
  });
  test('cancelled by the ward system, before or after the leaflet went to the printer', () => {
    const cancelled = docDisplayState({ state: 'cancelled', cancelled_at: '2026-12-02T10:01:00Z' }, view());
    assert.deepEqual(cancelled, { key: 'cancelled', text: 'Cancelled by the ward system',
      detail: 'The ward system cancelled this discharge before its leaflet was printed.' });
    assert.equal(needsAction(cancelled), false);
    const late = docDisplayState({ state: 'printed', cancelled_at: '2026-12-02T10:01:00Z' }, view());
    assert.deepEqual(late, { key: 'printed', text: 'Printed',
      detail: 'The ward system cancelled this discharge after its leaflet had gone to the printer.' });
  });
});

describe('errorInWords', () => {
  const cases = [
    ['the printer aborted the job (aborted-by-system)', { text: 'the printer stopped the job itself', detail: 'the printer aborted the job (aborted-by-system)' }],
    ['x (media-jam-error, door-open)', { text: 'paper jam, a door is open', detail: 'x (media-jam-error, door-open)' }],
    ['cancelled at the printer', { text: 'cancelled at the printer', detail: '' }],
    ['the printer did not print the job within 300 seconds', { text: 'the printer did not print the job within 300 seconds', detail: '' }],
    ['', { text: '', detail: '' }],
  ];
  for (const [error, expected] of cases) test(JSON.stringify(error), () => assert.deepEqual(errorInWords(error), expected));
});

describe('jobDisplayState', () => {
  const cases = [
    [job({ state: 'printed' }), 'printed', 'Printed'],
    [job({ state: 'printing' }), 'printing', 'Printing'],
    [job({ state: 'failed' }), 'failed', 'Failed'],
    [job({ state: 'queued' }), 'queued', 'Queued'],
    [job({ state: 'submitting' }), 'queued', 'Sending to the printer'],
    [job({ state: 'submitting', attempts: 2 }), 'waiting', 'Waiting for the printer'],
    [job({ state: 'cancelled' }), 'cancelled', 'Cancelled by the ward system'],
  ];
  for (const [given, key, text] of cases) {
    test(`${given.state}, ${given.attempts} attempts`, () => assert.deepEqual(jobDisplayState(given), { key, text }));
  }
});

describe('reasonText: IPP printer-state-reasons in words', () => {
  const cases = [
    ['none', null],
    ['', null],
    ['media-empty-error', { text: 'out of paper', severity: 'error', raw: 'media-empty-error' }],
    ['media-empty-report', { text: 'out of paper', severity: 'report', raw: 'media-empty-report' }],
    ['media-jam', { text: 'paper jam', severity: 'error', raw: 'media-jam' }],   // blocking without a suffix
    ['toner-low-warning', { text: 'toner low', severity: 'warning', raw: 'toner-low-warning' }],
    ['toner-low', { text: 'toner low', severity: '', raw: 'toner-low' }],
    ['fuser-over-temp-warning', { text: 'fuser over temp', severity: 'warning', raw: 'fuser-over-temp-warning' }],
  ];
  for (const [reason, expected] of cases) {
    test(JSON.stringify(reason), () => assert.deepEqual(reasonText(reason), expected));
  }
});

describe('printerDisplay and printerSummary', () => {
  const cases = [
    // printer, badge key, badge text, summary
    [{ state: 'idle' }, 'printed', 'Ready', 'ready'],
    [{ state: 'processing', state_reasons: ['toner-low-warning'] }, 'printing', 'Printing', 'printing, toner low'],
    [{ state: 'processing', state_reasons: ['media-jam-error'] }, 'failed', 'Needs attention', 'needs attention, paper jam'],
    [{ state: 'stopped', state_reasons: ['paused'] }, 'failed', 'Stopped', 'stopped, paused'],
    [{ state: 'idle', reachable: false }, 'failed', 'Cannot be reached', 'cannot be reached'],
    [{ state: 'warming-up' }, 'queued', 'warming-up', 'warming-up'],
    [{ state: 'idle', recent_failures: 3 }, 'failed', 'Last 3 jobs failed', 'last 3 jobs failed'],
    [{ state: 'idle', recent_failures: 2 }, 'printed', 'Ready', 'ready'],
    [{ state: 'stopped', state_reasons: ['offline-report'] }, 'failed', 'Stopped', 'stopped, switched off or not connected'],
  ];
  for (const [printer, key, text, summary] of cases) {
    test(JSON.stringify(printer), () => {
      assert.deepEqual(printerDisplay(printer), { key, text });
      assert.equal(printerSummary(printer), summary);
    });
  }
});

describe('document words', () => {
  test('isLargePrint: the flag, else the layout id', () => {
    assert.equal(isLargePrint({ large_print: true }), true);
    assert.equal(isLargePrint({ large_print: false, layout: { id: 'vertebroplasty.large' } }), false);
    assert.equal(isLargePrint({ layout: { id: 'vertebroplasty.large' } }), true);
    assert.equal(isLargePrint({ layout: { id: 'vertebroplasty' } }), false);
    assert.equal(isLargePrint({}), false);
  });
  test('birthDateText', () => {
    assert.equal(birthDateText('1948-03-02'), '2 March 1948');
    assert.equal(birthDateText(undefined), '');
  });
  test('patientName', () => {
    assert.equal(patientName({ patient: { name: 'Zoë Łukasiewicz-Ørsted' } }), 'Zoë Łukasiewicz-Ørsted');
    assert.equal(patientName({}), 'this patient');
  });
  test('procedureText', () => {
    assert.equal(procedureText('kyphoplasty'), 'Kyphoplasty');
    assert.equal(procedureText({ type: 'vertebroplasty', levels: ['T12', 'L1'] }), 'Vertebroplasty (T12, L1)');
    assert.equal(procedureText({ type: 'vertebroplasty' }), 'Vertebroplasty');
    assert.equal(procedureText(null), '');
  });
});
