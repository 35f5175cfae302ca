// Discharges from the ward's HL7 feed on the nurse page, in real headless Chromium against a
// real wardprintd and emulated printers, at a desktop (1280×900) and a tablet (820×1180) size:
// one cancelled by the ward system (ADT^A13) before it printed, one a nurse must print by
// hand (no leaflet for its procedure), one deliberately not printed (the patient died).
// Screenshots go to build/test-output/browser/hl7/. Run: tests/browser/run

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe } from 'node:test';

import {
  adtMessage, closeBrowserAndService, closeLeaflet, launchBrowser, OUTPUT_DIR, PAGE_SIZES, screenshotsIn, Service,
  signIn, stepsFor, waitUntil, watchedPage,
} from './harness.mjs';

const STEP_TIMEOUT = 120000;
const UI_TIMEOUT = 20000;
const SHOTS = path.join(OUTPUT_DIR, 'hl7');

const PATIENTS = {
  printed: { visit: 'V-ADA', givenName: 'Ada', familyName: 'Lovelace', hospitalNumber: 'RHQ7100001' },
  cancelled: { visit: 'V-COLIN', givenName: 'Colin', familyName: 'Hughes', hospitalNumber: 'RHQ7100002' },
  noLeaflet: { visit: 'V-NORA', givenName: 'Nora', familyName: 'Jenkins', hospitalNumber: 'RHQ7100003', procedure: 'Z99.9' },
  died: { visit: 'V-DORA', givenName: 'Dora', familyName: 'Price', hospitalNumber: 'RHQ7100004', died: 'Y' },
};
const nameOf = (key) => PATIENTS[key].givenName + ' ' + PATIENTS[key].familyName;

describe('HL7 discharges on the nurse page: cancelled, to print by hand, not printed', { timeout: 8 * 60000 }, () => {
  const service = new Service({ hl7: true });
  const consoleProblems = [];
  let browser;
  let page;
  let failed = false;

  const screenshot = screenshotsIn(SHOTS, () => page, UI_TIMEOUT);
  const step = stepsFor(service, screenshot, { timeout: STEP_TIMEOUT, onFailure: () => { failed = true; } });
  const row = (name) => page.locator('#leaflet-list tr.leaflet-row', { has: page.getByRole('button', { name, exact: true }) });
  const text = async (locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();
  const namesIn = async (table) => (await table.locator('tbody th button').allInnerTexts()).sort();

  before(async () => {
    failed = true;   // until the service is up
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const old of fs.readdirSync(SHOTS)) fs.rmSync(path.join(SHOTS, old));
    await service.start();

    // Ada's leaflet holds ward 7's printer (and its fallback) while Colin's waits queued
    // behind it, so the A13 reaches Colin's before it is sent.
    service.freezePrinter('ward-7-laser');
    service.freezePrinter('ward-8-laser');
    try {
      assert.equal(await service.postHl7(adtMessage(PATIENTS.printed)), 'AA');
      assert.equal(await service.postHl7(adtMessage(PATIENTS.cancelled)), 'AA');
      assert.equal(await service.postHl7(adtMessage({ ...PATIENTS.cancelled, trigger: 'A13' })), 'AA');
    } finally {
      service.thawPrinter('ward-7-laser');
      service.thawPrinter('ward-8-laser');
    }
    assert.equal(await service.postHl7(adtMessage(PATIENTS.noLeaflet)), 'AA');
    assert.equal(await service.postHl7(adtMessage(PATIENTS.died)), 'AA');
    await waitUntil('Ada printed and Colin cancelled', async () => {
      const states = Object.fromEntries((await service.request('GET', '/v1/discharges')).json.discharges
        .map((doc) => [doc.patient.name, doc.state]));
      if (states[nameOf('printed')] === 'failed') throw new Error('Ada\'s leaflet failed to print');
      return states[nameOf('printed')] === 'printed' && states[nameOf('cancelled')] === 'cancelled';
    }, { timeout: 60000, interval: 200 });

    browser = await launchBrowser();
    page = await watchedPage(browser, PAGE_SIZES[0], UI_TIMEOUT, consoleProblems);
    await signIn(page, service, 'nurse.jones');
    failed = false;
  });

  after(() => closeBrowserAndService(browser, service, failed));

  for (const size of PAGE_SIZES) {
    step(`${size.width}×${size.height}: the leaflet to print by hand needs action, the cancelled and the deceased do not`, async () => {
      await page.setViewportSize(size);
      await closeLeaflet(page);
      await page.locator('#action-title', { hasText: 'Needs action (1)' }).waitFor();
      const tables = page.locator('#leaflet-list table');
      assert.deepEqual(await namesIn(tables.first()), [nameOf('noLeaflet')]);
      assert.deepEqual(await namesIn(tables.nth(1)), [nameOf('cancelled'), nameOf('died'), nameOf('printed')].sort());

      assert.equal(await text(row(nameOf('noLeaflet')).locator('.badge')), '✕ Not printed');
      assert.match(await text(row(nameOf('noLeaflet')).locator('.state-detail')), /^Not printed: there is no leaflet for this procedure\. Print one by hand/);
      assert.match(await text(page.locator('#failed-banner')), /^1 leaflet was not printed and may need printing by hand\./);

      const cancelled = row(nameOf('cancelled'));
      assert.equal(await text(cancelled.locator('.badge')), 'Cancelled by the ward system');
      assert.match(await text(cancelled.locator('.state-detail')), /^The ward system cancelled this discharge before its leaflet was printed\.$/);
      const died = row(nameOf('died'));
      assert.equal(await text(died.locator('.badge')), 'Not printed');
      assert.equal(await text(died.locator('.state-detail')), 'Not printed: the hospital system says the patient died.');
      assert.equal(await text(row(nameOf('printed')).locator('.badge')), '✓ Printed');
      await screenshot('list');
    });
  }

  for (const size of PAGE_SIZES) {
    step(`${size.width}×${size.height}: the cancelled leaflet's own page says who cancelled its print job`, async () => {
      await page.setViewportSize(size);
      await closeLeaflet(page);
      await page.getByRole('button', { name: nameOf('cancelled'), exact: true }).click();
      const job = page.locator('#jobs li.job').first();
      await job.locator('.job__head', { hasText: 'Cancelled by the ward system' }).waitFor();
      assert.equal(await text(job.locator('.job__head .badge')), 'Cancelled by the ward system');
      await screenshot('cancelled-detail');
    });
  }

  step('no console errors or warnings', () => assert.deepEqual(consoleProblems, []));
});
