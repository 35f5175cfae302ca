// Unit tests of the nurse page's service/http/page/states.js: the words a nurse reads for
// documents, print jobs and printers. No browser needed.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  docDisplayState, isLargePrint, jobDisplayState, latestJob, patientName, printerDisplay, printerSummary,
  procedureText, reasonText,
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

describe('jobDisplayState', () => {
  const cases = [
    [job({ state: 'printed' }), 'printed', 'Printed'],
    [job({ state: 'printing' }), 'printing', 'Printing'],
    [job({ state: 'failed' }), 'failed', 'Failed'],
    [job({ state: 'queued' }), 'queued', 'Queued'],
    [job({ state: 'submitting' }), 'queued', 'Sending to the printer'],
    [job({ state: 'submitting', attempts: 2 }), 'waiting', 'Waiting for the printer'],
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
