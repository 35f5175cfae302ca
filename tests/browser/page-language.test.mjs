// Reprinting a leaflet in another language from the nurse page (the Welsh layouts are
// drafts, so this service allows drafts), in real headless Chromium against a real
// wardprintd. Run: tests/browser/run

import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';

import { closeBrowserAndService, dischargeEvent, launchBrowser, Service, signIn, stepsFor } from './harness.mjs';

const UI_TIMEOUT = 20000;

describe('the nurse page reprints in another language', { timeout: 5 * 60000 }, () => {
  const service = new Service({ allowDraftLayouts: true });
  let browser;
  let page;
  let failed = false;
  let id;
  const step = stepsFor(service, null, { timeout: 120000, onFailure: () => { failed = true; } });

  before(async () => {
    failed = true;
    await service.start();
    id = await service.postEvent(dischargeEvent({
      ward: 'ward-7', givenName: 'Gwenllian', familyName: 'Prys', hospitalNumber: 'RHQ7000099',
      dischargedAt: new Date(Date.now() - 60000),
    }));
    await service.waitForState(id, 'printed', 60000);
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    context.setDefaultTimeout(UI_TIMEOUT);
    page = await context.newPage();
    await signIn(page, service, 'nurse.jones');
    failed = false;
  });

  after(() => closeBrowserAndService(browser, service, failed));

  step('Welsh is offered for an English leaflet, and a reprint in Welsh is a new Welsh leaflet', async () => {
    await page.getByRole('button', { name: 'Gwenllian Prys', exact: true }).click();
    const language = page.getByLabel('Language');
    await language.waitFor();
    assert.equal(await language.inputValue(), 'en-GB', 'its own language chosen first');
    await language.selectOption('cy-GB');
    await page.getByLabel('Reason for reprinting').fill('asked for Welsh');
    await page.getByRole('button', { name: 'Reprint', exact: true }).click();
    const message = page.locator('#reprint-message');
    await message.filter({ hasText: 'Reprint in Welsh (Cymraeg) for Gwenllian Prys' }).waitFor();
    const listed = await service.request('GET', '/v1/discharges?hospital_number=RHQ7000099');
    const welsh = listed.json.discharges.find((doc) => doc.language === 'cy-GB');
    assert.ok(welsh, 'a Welsh leaflet for the patient');
    assert.notEqual(welsh.id, id);
    assert.match(welsh.layout.id, /cy-GB/);
  });
});
