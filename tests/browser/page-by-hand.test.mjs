// The by-hand form and the page-image preview in real headless Chromium, at a desktop and a
// tablet size, against a real wardprintd and emulated printers. Screenshots go to
// build/test-output/browser/by-hand/. Run: tests/browser/run

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { closeBrowserAndService, launchBrowser, OUTPUT_DIR, Service, USERS, waitUntil } from './harness.mjs';

const SHOTS = path.join(OUTPUT_DIR, 'by-hand');
const SIZES = [{ name: 'desktop', width: 1280, height: 900 }, { name: 'tablet', width: 820, height: 1180 }];

describe('a leaflet printed by hand', { timeout: 5 * 60000 }, () => {
  const service = new Service();
  let browser;
  let failed = true;

  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const old of fs.readdirSync(SHOTS)) fs.rmSync(path.join(SHOTS, old));
    await service.start();
    browser = await launchBrowser();
    failed = false;
  });

  after(() => closeBrowserAndService(browser, service, failed));

  for (const [index, size] of SIZES.entries()) {
    test(`at ${size.width}×${size.height}: every problem on its field, then printed, audited and shown as page images`, { timeout: 120000 }, async () => {
      const context = await browser.newContext({ viewport: { width: size.width, height: size.height }, locale: 'en-GB' });
      context.setDefaultTimeout(15000);
      const page = await context.newPage();
      const pageErrors = [];
      page.on('pageerror', (err) => pageErrors.push(err.message));
      page.on('console', (message) => {
        // Chromium logs the sign-in probe (401) and the refusal (422) as failed loads; nothing else may show.
        if (message.type() === 'error' && !/status of (401|422)\b/.test(message.text())) pageErrors.push(message.text());
      });
      const shot = (name) => page.screenshot({ path: path.join(SHOTS, `${size.name}-${name}.png`), fullPage: false });
      try {
        await page.goto(service.base + '/', { waitUntil: 'domcontentloaded' });
        await page.getByLabel('User name').fill('nurse.jones');
        await page.getByLabel('Password', { exact: true }).fill(USERS['nurse.jones'].password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.locator('#app').waitFor({ state: 'visible' });

        await page.getByRole('button', { name: 'Print a leaflet by hand' }).click();
        const dialog = page.getByRole('dialog', { name: 'Print a leaflet by hand' });
        await dialog.waitFor();
        assert.equal(await dialog.getByLabel('Ward the patient is leaving').inputValue(), 'ward-7');
        assert.match(await dialog.getByLabel('Leaving at').inputValue(), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'now, filled in');
        const number = `RHQ90000${index + 1}`;
        await dialog.getByLabel('Given name (if they have one)').fill('Bethan');
        await dialog.getByLabel('Family name').fill(`Hand-Entered${index ? ' Tablet' : ''}`);
        await dialog.getByLabel('Patient’s hospital number').fill(number);
        await dialog.getByLabel('NHS number (if known)').fill('943 476 5918');   // a wrong check digit
        await dialog.getByLabel('Date of birth').fill('1944-06-06');
        await dialog.getByLabel('Levels treated (such as T12, L1)').fill('L1, Q9');   // Q9 is no vertebra
        await dialog.getByLabel('Procedure done at').fill(await dialog.getByLabel('Leaving at').inputValue());
        await dialog.getByLabel('Clinician').fill('Dr A Shah');
        await dialog.getByRole('button', { name: 'Print the leaflet' }).click();

        // One answer names both problems, each on its field.
        const message = page.locator('#by-hand-message');
        await message.filter({ hasText: 'was not printed' }).waitFor();
        assert.match(await message.innerText(), /NHS number \(if known\): check digit/);
        assert.match(await message.innerText(), /Levels treated \(such as T12, L1\): must be a vertebra/);
        assert.equal(await dialog.getByLabel('NHS number (if known)').getAttribute('aria-invalid'), 'true');
        assert.equal(await dialog.getByLabel('Levels treated (such as T12, L1)').getAttribute('aria-invalid'), 'true');
        assert.equal(await dialog.getByLabel('Family name').getAttribute('aria-invalid'), null);
        await shot('1-refused');

        await dialog.getByLabel('NHS number (if known)').fill('943 476 5919');
        await dialog.getByLabel('Levels treated (such as T12, L1)').fill('t12, l1');
        const posted = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/discharges/by-hand');
        await dialog.getByRole('button', { name: 'Print the leaflet' }).click();
        const answer = await posted;
        assert.equal(answer.status(), 202, await answer.text());
        const { id } = await answer.json();
        await dialog.waitFor({ state: 'hidden' });

        // The new leaflet opens, prints on the ward's printer, and the preview is page images.
        await page.locator('#detail-title', { hasText: 'Bethan Hand-Entered' }).waitFor();
        await service.waitForState(id, 'printed');
        assert.equal(service.spooled('ward-7-laser', id).length, 1);
        const images = page.locator('#preview img.preview__page');
        await waitUntil('the pages to be drawn', async () => (await images.count()) >= 2 &&
          images.evaluateAll((all) => all.every((img) => img.complete && img.naturalWidth > 800)));
        assert.equal(await page.locator('iframe, embed, object').count(), 0, 'no PDF viewer');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.equal(overflow, 0, 'nothing scrolls sideways');
        await shot('2-printed');
        await images.first().scrollIntoViewIfNeeded();
        await shot('3-preview');

        const doc = await service.document(id);
        assert.equal(doc.patient.hospital_number, number);
        assert.deepEqual(pageErrors, []);
      } catch (err) {
        await shot('FAILED').catch(() => {});
        err.message += '\n' + service.logs();
        throw err;
      } finally {
        await context.close();
      }
    });
  }
});
