// The nurse page when printing goes wrong, in real headless Chromium against a real
// wardprintd and emulated printers, at a desktop (1280×900) and a tablet (820×1180) size:
// the right patient always in view, leaflets needing action first, where each leaflet
// really printed, printers in plain words, and a reprint made with the keyboard alone.
// Screenshots go to build/test-output/browser/action/. Run: tests/browser/run

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe } from 'node:test';

import {
  closeBrowserAndService, closeLeaflet, dischargeEvent, launchBrowser, OUTPUT_DIR, PAGE_SIZES, screenshotsIn,
  Service, signIn, stepsFor, waitUntil, watchedPage,
} from './harness.mjs';

const STEP_TIMEOUT = 120000;
const UI_TIMEOUT = 20000;
const SHOTS = path.join(OUTPUT_DIR, 'action');
const STUCK_AFTER_SECONDS = 3;

describe('the nurse page when printing goes wrong', { timeout: 12 * 60000 }, () => {
  const service = new Service({ stuckAfterSeconds: STUCK_AFTER_SECONDS, printerNames: true });
  const patients = {};
  const consoleProblems = [];
  let browser;
  let page;
  let failed = false;

  const screenshot = screenshotsIn(SHOTS, () => page, UI_TIMEOUT);
  const step = stepsFor(service, screenshot, { timeout: STEP_TIMEOUT, onFailure: () => { failed = true; } });

  // Posts a ward 7 discharge and waits until its leaflet is in `state`.
  async function discharge(key, givenName, familyName, hospitalNumber, state) {
    patients[key] = { name: `${givenName} ${familyName}`, hospitalNumber };
    patients[key].id = await service.postEvent(dischargeEvent({
      ward: 'ward-7', givenName, familyName, hospitalNumber, dischargedAt: new Date(Date.now() - 60000),
    }));
    if (state) await service.waitForState(patients[key].id, state, 60000);
  }

  const row = (name) => page.locator('#leaflet-list tr.leaflet-row', { has: page.getByRole('button', { name, exact: true }) });
  const text = async (locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

  before(async () => {
    failed = true;   // until the service is up
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const old of fs.readdirSync(SHOTS)) fs.rmSync(path.join(SHOTS, old));
    await service.start();

    await discharge('zoe', 'Zoë', 'Łukasiewicz-Ørsted', 'RHQ7000001', 'printed');
    // Ward 7's printer aborts every job: the next one prints on ward 8's printer.
    service.setPrinterMode('ward-7-laser', 'fail');
    await discharge('arthur', 'Arthur', 'Pemberton-Smythe', 'RHQ7000002', 'printed');
    // Both printers abort: two leaflets fail, and ward 7's last 3 jobs have failed.
    service.setPrinterMode('ward-8-laser', 'fail');
    await discharge('harold', 'Harold', 'Brown', 'RHQ7000003', 'failed');
    await discharge('edith', 'Edith', 'Clarke', 'RHQ7000004', 'failed');
    service.setPrinterMode('ward-7-laser', 'ok');
    service.setPrinterMode('ward-8-laser', 'ok');

    browser = await launchBrowser();
    page = await watchedPage(browser, PAGE_SIZES[0], UI_TIMEOUT, consoleProblems);
    await signIn(page, service, 'nurse.jones');
    failed = false;
  });

  after(async () => {
    service.setPrinterMode('ward-7-laser', 'ok');
    await closeBrowserAndService(browser, service, failed);
  });

  for (const size of PAGE_SIZES) {
    step(`${size.width}×${size.height}: failed leaflets come first, and the red banner takes you to them`, async () => {
      await page.setViewportSize(size);
      await closeLeaflet(page);
      await page.locator('#action-title', { hasText: 'Needs action (2)' }).waitFor();
      const tables = page.locator('#leaflet-list table');
      const first = await tables.first().locator('tbody th button').allInnerTexts();
      assert.deepEqual(first.sort(), [patients.edith.name, patients.harold.name].sort(), 'the failed two, in the first table');
      const today = await tables.nth(1).locator('tbody th button').allInnerTexts();
      assert.deepEqual(today.sort(), [patients.arthur.name, patients.zoe.name].sort(), 'the rest under Today, once each');

      const banner = page.locator('#failed-banner button');
      assert.equal(await text(banner), '2 leaflets failed to print. Show them first in the list.');
      await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await banner.click();
      const focused = await page.evaluate(() => document.activeElement.textContent);
      assert.ok([patients.edith.name, patients.harold.name].includes(focused), `focus on a failed leaflet, not ${focused}`);
      await screenshot('failed-first');
    });
  }

  for (const size of PAGE_SIZES) {
    step(`${size.width}×${size.height}: where each leaflet printed, in words: the fallback, and both printers failing`, async () => {
      await page.setViewportSize(size);
      await closeLeaflet(page);
      await waitUntil('printer names in the list', async () =>
        /^Printed on Ward 8 printer/.test(await text(row(patients.arthur.name).locator('.state-detail'))));
      const arthur = await text(row(patients.arthur.name).locator('.state-detail'));
      assert.match(arthur, /^Printed on Ward 8 printer — Ward 7 printer failed: the printer stopped the job itself$/);
      const harold = await text(row(patients.harold.name).locator('.state-detail'));
      assert.match(harold, /^Ward 7 printer failed: .+; Ward 8 printer failed: .+$/);
      assert.doesNotMatch(harold, /aborted-by-system|ward-\d-laser/, 'no IPP keywords or printer ids in the list');

      await page.getByRole('button', { name: patients.arthur.name, exact: true }).click();
      const job = page.locator('#jobs li.job').first();
      await job.locator('.job__earlier', { hasText: 'Ward 7 printer failed (1 attempt): the printer stopped the job itself' }).waitFor();
      assert.match(await text(job.locator('.job__head')), /Printed Ward 8 printer/);
      // The printer's own words only behind the disclosure, which stays open as the page updates.
      const details = job.locator('.job__earlier details');
      assert.equal(await details.locator('code').isVisible(), false);
      await details.locator('summary').click();
      assert.match(await details.locator('code').innerText(), /aborted-by-system/);
      const updated = await page.locator('#updated').textContent();
      await waitUntil('the next update', async () => (await page.locator('#updated').textContent()) !== updated);
      assert.equal(await details.locator('code').isVisible(), true, 'still open after the page updated');
      await job.scrollIntoViewIfNeeded();
      await screenshot('printed-on-fallback');
    });
  }

  for (const size of PAGE_SIZES) {
    step(`${size.width}×${size.height}: printers by name and place, and one whose last 3 jobs failed is a problem while it says idle`, async () => {
      await page.setViewportSize(size);
      await closeLeaflet(page);
      const seven = page.locator('#printer-list li.printer[data-printer="ward-7-laser"]');
      await seven.locator('.badge', { hasText: 'Last 3 jobs failed' }).waitFor();
      assert.equal(await text(seven.locator('.printer__name')), 'Ward 7 printer');
      assert.equal(await text(seven.locator('.printer__location')), "Ward 7, nurses' station");
      await seven.locator('.printer__note', { hasText: 'Check it before sending more: its last 3 jobs did not print.' }).waitFor();
      if (!(await seven.locator('details pre').isVisible())) await seven.locator('details summary').click();
      assert.match(await seven.locator('details pre').innerText(), /printer id: ward-7-laser\nstate: idle/);
      await page.locator('#printer-strip [data-printer="ward-7-laser"]', { hasText: 'Ward 7 printer: last 3 jobs failed' }).waitFor();
      await seven.scrollIntoViewIfNeeded();
      await screenshot('printer-failing-every-job');
    });
  }

  for (const size of PAGE_SIZES) {
    step(`${size.width}×${size.height}: the open leaflet's patient and the printers stay in view, identifiers on one line`, async () => {
      await page.setViewportSize(size);
      await page.getByRole('button', { name: patients.zoe.name, exact: true }).click();
      const head = page.locator('.detail__patient');
      await head.locator('#detail-title', { hasText: patients.zoe.name }).waitFor();
      assert.equal(await text(head.locator('#detail-hospital-number')), patients.zoe.hospitalNumber);
      assert.equal(await text(head.locator('#detail-born')), '2 March 1948');

      // Scroll to the end of the pane (its own scroll on a wide screen, the page's on a tablet).
      await page.locator('#preview').scrollIntoViewIfNeeded();
      await page.evaluate(() => { const d = document.getElementById('detail'); d.scrollTop = d.scrollHeight; });
      const inView = async (locator) => {
        const box = await locator.boundingBox();
        return box && box.y >= 0 && box.y + box.height <= size.height;
      };
      await waitUntil('the patient and the printer strip in view after scrolling', async () =>
        (await inView(head.locator('#detail-title'))) && (await inView(head.locator('#detail-born'))) &&
        (await inView(page.locator('#printer-strip'))));
      const stripBox = await page.locator('#printer-strip').boundingBox();
      const headBox = await head.boundingBox();
      assert.ok(headBox.y >= stripBox.y + stripBox.height - 1, 'the patient is not hidden under the strip');
      await screenshot('leaflet-scrolled');

      // One line each: an identifier's box is no taller than one line of its own text.
      const wrapped = await page.evaluate(() => [...document.querySelectorAll('.ident')].filter((node) => {
        if (!node.offsetParent) return false;
        const lineHeight = parseFloat(getComputedStyle(node).lineHeight) || parseFloat(getComputedStyle(node).fontSize) * 1.6;
        return node.getClientRects().length > 1 || node.getBoundingClientRect().height > lineHeight * 1.5;
      }).map((node) => node.textContent));
      const counted = await page.locator('#leaflet-list .cell-number .ident, #detail .ident').count();
      assert.ok(counted >= 6, `identifiers measured: ${counted}`);
      assert.deepEqual(wrapped, [], 'identifiers wrapped');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, 'no sideways scrolling');
    });
  }

  step('a new search closes the open leaflet and its reprint form', async () => {
    await page.setViewportSize(PAGE_SIZES[0]);
    await page.getByRole('button', { name: patients.zoe.name, exact: true }).click();
    await page.getByLabel('Reason for reprinting').fill('lost');
    await page.getByLabel('Hospital number').fill(patients.arthur.hospitalNumber);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('#detail').waitFor({ state: 'hidden' });
    await row(patients.arthur.name).waitFor();
    assert.equal(await page.getByText(patients.zoe.name).count(), 0, 'nothing of the patient before is left');
    assert.equal(await page.getByLabel('Reason for reprinting').inputValue(), '', 'the reason typed for her is gone');
    await screenshot('search-closed-leaflet');
    await page.getByRole('button', { name: 'Show recent leaflets' }).click();
    await row(patients.zoe.name).waitFor();
  });

  for (const size of PAGE_SIZES) {
    step(`${size.width}×${size.height}: a reprint with the keyboard alone, confirmed with the patient named`, async () => {
      await page.setViewportSize(size);
      await closeLeaflet(page);
      await page.locator('#search-number').focus();
      // Tab to the patient's button and open it with Enter.
      const tabTo = async (what, matches, limit = 80) => {
        for (let i = 0; i < limit; i += 1) {
          if (await page.evaluate(matches)) return;
          await page.keyboard.press('Tab');
        }
        assert.fail(`could not reach ${what} with Tab`);
      };
      await tabTo(patients.zoe.name, `document.activeElement.textContent === ${JSON.stringify(patients.zoe.name)}`);
      await page.keyboard.press('Enter');
      await page.locator('#detail-title', { hasText: patients.zoe.name }).waitFor();
      await tabTo('the Lost reason', "document.activeElement.dataset.reason === 'lost'");
      await page.keyboard.press('Enter');
      assert.equal(await page.getByLabel('Reason for reprinting').inputValue(), 'lost');
      await tabTo('the Reprint button', "document.activeElement.id === 'reprint-submit'");
      const answer = page.waitForResponse((r) => r.url().endsWith(`/v1/discharges/${patients.zoe.id}/reprint`));
      await page.keyboard.press('Enter');
      const response = await answer;
      assert.equal(response.status(), 202);
      await page.locator('#reprint-message', {
        hasText: `Reprint for ${patients.zoe.name} (hospital number ${patients.zoe.hospitalNumber}) sent to Ward 7 printer (1 copy).`,
      }).waitFor();
      await screenshot('keyboard-reprint');
      const job = page.locator(`#jobs li[data-job-id="${(await response.json()).job_id}"]`);
      await job.locator('.badge', { hasText: 'Printed' }).waitFor({ timeout: 30000 });
    });
  }

  step('a leaflet waiting at a jammed printer past printing.stuck_after_seconds is amber, with the reason in words', async () => {
    await page.setViewportSize(PAGE_SIZES[0]);
    await closeLeaflet(page);
    service.setPrinterMode('ward-7-laser', 'jam');
    try {
      await discharge('ivy', 'Ivy', 'Jameson', 'RHQ7000005', null);
      const ivy = row(patients.ivy.name);
      await ivy.locator('.badge--stuck', { hasText: 'Stuck at the printer' }).waitFor({ timeout: 45000 });
      await ivy.locator('.state-detail', { hasText: 'Ward 7 printer: needs attention, paper jam' }).waitFor();
      await page.locator('#action-title', { hasText: 'Needs action (3)' }).waitFor();
      assert.match(await text(page.locator('#failed-banner')), /2 leaflets failed to print\. 1 leaflet is stuck at a printer\./);
      // Amber, not red.
      const colour = await ivy.evaluate((node) => getComputedStyle(node).backgroundColor);
      assert.equal(colour, 'rgb(255, 241, 204)');
      await page.locator('#printer-strip [data-printer="ward-7-laser"]', { hasText: 'paper jam' }).waitFor();
      await screenshot('stuck-at-jammed-printer');
      await page.setViewportSize(PAGE_SIZES[1]);
      await ivy.locator('.badge--stuck').scrollIntoViewIfNeeded();
      await screenshot('stuck-at-jammed-printer');
      await page.setViewportSize(PAGE_SIZES[0]);
    } finally {
      service.setPrinterMode('ward-7-laser', 'ok');
    }
    await service.waitForState(patients.ivy.id, 'printed', 30000);
    await row(patients.ivy.name).locator('.badge', { hasText: 'Printed' }).waitFor({ timeout: 30000 });
  });

  step('the browser console showed no errors', async () => {
    assert.deepEqual(consoleProblems, []);
  });
});
