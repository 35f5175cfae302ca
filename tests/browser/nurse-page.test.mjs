// The nurse page in real headless Chromium against a real wardprintd, real emulated IPP
// printers and a private D-Bus bus. Each step saves a screenshot under
// build/test-output/browser/. Run: tests/browser/run

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe } from 'node:test';

import { errorInWords } from '../../service/http/page/states.js';
import {
  closeBrowserAndService, dischargeEvent, isoSeconds, launchBrowser, londonClock, msSinceLondonMidnight, OUTPUT_DIR,
  Service, stepsFor, USERS, waitUntil, zoneClock, zoneParts,
} from './harness.mjs';

const STEP_TIMEOUT = 90000;   // node:test's bound on each step
const UI_TIMEOUT = 15000;     // Playwright's bound on each wait

// The only console messages allowed: Chromium logs every 4xx response as "Failed to load
// resource"; the page's own "who is signed in?" probe (401 before sign-in) and a refused
// password (401) are expected answers of GET/POST /v1/session, not errors of the page.
// Likewise the 429 of too many wrong passwords, in the step that makes them on purpose.
function expectedConsoleMessage(message) {
  const url = message.location().url || '';
  return /^Failed to load resource: the server responded with a status of (401|429)\b/.test(message.text()) &&
    new URL(url, 'http://x').pathname === '/v1/session';
}

describe('the nurse page', { timeout: 10 * 60000 }, () => {
  const service = new Service();
  let browser;
  let context;
  let page;
  const consoleProblems = [];
  const allowedConsole = [];
  let shot = 0;
  let failed = false;
  const patients = {};

  async function screenshot(name) {
    shot += 1;
    const file = path.join(OUTPUT_DIR, `${String(shot).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true, timeout: UI_TIMEOUT });
    return file;
  }

  const step = stepsFor(service, screenshot, { timeout: STEP_TIMEOUT, onFailure: () => { failed = true; } });

  function watch(p) {
    p.on('console', (message) => {
      if (message.type() !== 'error' && message.type() !== 'warning') return;
      const entry = `${message.type()}: ${message.text()} (${message.location().url || 'no url'})`;
      if (expectedConsoleMessage(message)) allowedConsole.push(entry);
      else consoleProblems.push(entry);
    });
    p.on('pageerror', (err) => consoleProblems.push('page error: ' + err.message));
    p.on('crash', () => consoleProblems.push('the page crashed'));
  }

  // sessionFields: added to every session answer (GET and POST /v1/session) the page gets.
  async function newPage({ fakeClock = false, sessionFields = null } = {}) {
    if (context) await context.close();
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-GB' });
    context.setDefaultTimeout(UI_TIMEOUT);
    if (sessionFields) {
      await context.route((url) => url.pathname === '/v1/session', async (route) => {
        const response = await route.fetch();
        if (!response.ok() || !/json/.test(response.headers()['content-type'] || '')) return route.fulfill({ response });
        return route.fulfill({ response, json: { ...(await response.json()), ...sessionFields } });
      });
    }
    page = await context.newPage();
    watch(page);
    if (fakeClock) await page.clock.install();   // runs on its own until a test moves it
    await page.goto(service.base + '/', { waitUntil: 'domcontentloaded' });
    await page.locator('#sign-in-name').waitFor({ state: 'visible' });
  }

  async function signIn(name) {
    await page.getByLabel('User name').fill(name);
    await page.getByLabel('Password', { exact: true }).fill(USERS[name].password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#app').waitFor({ state: 'visible' });
    await page.locator('#who-name', { hasText: name }).waitFor();
    await page.locator('#updated').filter({ hasText: 'Updated' }).waitFor();
  }

  async function signOut() {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#sign-in').waitFor({ state: 'visible' });
  }

  const row = (name) => page.locator('#leaflet-list tr.leaflet-row', { has: page.getByRole('button', { name, exact: true }) });
  const patientButtons = () => page.locator('#leaflet-list tr.leaflet-row th button');

  before(async () => {
    failed = true;   // until the service is up
    fs.mkdirSync(OUTPUT_DIR, { recursive: true });
    for (const old of fs.readdirSync(OUTPUT_DIR)) if (old.endsWith('.png')) fs.rmSync(path.join(OUTPUT_DIR, old));
    await service.start();

    // Leaflets: two for ward 7 today, one for ward 7 three days ago, one for ward 8 today.
    // "Today" is London's today: near midnight the two stay after 00:00.
    const now = new Date();
    const sinceMidnight = msSinceLondonMidnight(now);
    const gap = Math.min(10 * 60000, Math.floor(sinceMidnight / 3));
    const make = (key, ward, givenName, familyName, hospitalNumber, dischargedAt) => {
      patients[key] = { ward, name: `${givenName} ${familyName}`, hospitalNumber, dischargedAt };
      return dischargeEvent({ ward, givenName, familyName, hospitalNumber, dischargedAt });
    };
    const events = [
      make('zoe', 'ward-7', 'Zoë', 'Łukasiewicz-Ørsted', 'RHQ7000001', new Date(now.getTime() - 2 * gap)),
      make('arthur', 'ward-7', 'Arthur', 'Pendleton', 'RHQ7000002', new Date(now.getTime() - gap)),
      make('bob', 'ward-7', 'Robert', 'Smith', 'RHQ7000003', new Date(now.getTime() - 3 * 86400000)),
      make('priya', 'ward-8', 'Priya', 'Ramanathan', 'RHQ8000001', new Date(now.getTime() - gap)),
    ];
    for (const [index, key] of Object.keys(patients).entries()) patients[key].id = await service.postEvent(events[index]);
    for (const key of Object.keys(patients)) await service.waitForState(patients[key].id, 'printed');

    browser = await launchBrowser();
    failed = false;
  });

  after(() => closeBrowserAndService(browser, service, failed));

  step('a wrong password is refused with a clear message', async () => {
    await newPage();
    await page.getByLabel('User name').fill('nurse.jones');
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.locator('#sign-in-error');
    await alert.filter({ hasText: 'wrong' }).waitFor();
    assert.equal(await alert.getAttribute('role'), 'alert');
    assert.match(await alert.innerText(), /user name or password is wrong/i);
    assert.equal(await page.locator('#app').isVisible(), false, 'the leaflets stay hidden');
    assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '', 'the password is cleared');
    await screenshot('wrong-password');
  });

  step('signs in with the keyboard alone', async () => {
    await newPage();
    // The page puts the cursor in the user name; from there on only keys.
    await waitUntil('focus in the user name', () => page.evaluate(() => document.activeElement?.id === 'sign-in-name'));
    await page.keyboard.type('nurse.jones');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'sign-in-password');
    await page.keyboard.type(USERS['nurse.jones'].password);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'sign-in-submit');
    await page.keyboard.press('Enter');
    await page.locator('#app').waitFor({ state: 'visible' });
    await page.locator('#who-name', { hasText: 'nurse.jones' }).waitFor();
    await row(patients.zoe.name).waitFor();

    // Keyboard on from there: Tab reaches a leaflet and Enter opens it.
    let reached = false;
    for (let i = 0; i < 25 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => Boolean(document.activeElement?.closest('#leaflet-list button')));
    }
    assert.ok(reached, 'Tab reaches the leaflets');
    const focusOutline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle +
      ' ' + getComputedStyle(document.activeElement).boxShadow);
    assert.notEqual(focusOutline.trim(), 'none none', 'the focused control shows a focus style');
    await screenshot('signed-in-with-keyboard');
    await page.keyboard.press('Enter');
    await page.locator('#detail').waitFor({ state: 'visible' });
    await page.getByRole('button', { name: 'Close' }).press('Enter');
    await page.locator('#detail').waitFor({ state: 'hidden' });
  });

  step("shows today's leaflets newest first, in London time, and ward 7's only", async () => {
    const today = page.locator('#leaflet-list table').first();
    const names = await today.locator('tbody th button').allInnerTexts();
    assert.deepEqual(names, [patients.arthur.name, patients.zoe.name], 'today, newest first');
    const zoe = row(patients.zoe.name);
    const cells = await zoe.locator('td').allInnerTexts();
    assert.equal(cells[0], patients.zoe.hospitalNumber);
    assert.equal(cells[1], 'Vertebroplasty');
    assert.equal(cells[2], 'Today ' + londonClock(patients.zoe.dischargedAt));
    assert.match(cells[3], /Printed/);
    const heading = async (id) => (await page.locator(id).textContent()).replace(/\s+/g, ' ').trim();
    assert.equal(await heading('#today-title'), 'Today (2)');
    assert.equal(await heading('#earlier-title'), 'Last 7 days (1)');
    await row(patients.bob.name).waitFor();
    assert.equal(await row(patients.priya.name).count(), 0, "ward 8's leaflet is not listed");
    assert.match(await page.locator('#ward-single').innerText(), /Ward 7/);
    assert.equal(await page.locator('#ward-picker-field').isVisible(), false, 'one ward: no picker');
    await screenshot('todays-leaflets');
  });

  step('a new leaflet appears without reloading the page', async () => {
    await page.evaluate(() => { window.__notReloaded = true; });
    const now = new Date();
    const event = dischargeEvent({
      ward: 'ward-7', givenName: 'Margaret', familyName: 'Oyelaran', hospitalNumber: 'RHQ7000004', dischargedAt: now,
    });
    patients.margaret = { ward: 'ward-7', name: 'Margaret Oyelaran', hospitalNumber: 'RHQ7000004', dischargedAt: now };
    patients.margaret.id = await service.postEvent(event);
    await row(patients.margaret.name).waitFor({ timeout: 20000 });   // the page asks every 5 s
    await row(patients.margaret.name).locator('.badge', { hasText: 'Printed' }).waitFor({ timeout: 30000 });
    assert.equal(await page.evaluate(() => window.__notReloaded), true, 'no reload');
    const names = await page.locator('#leaflet-list table').first().locator('tbody th button').allInnerTexts();
    assert.equal(names[0], patients.margaret.name, 'the newest is first');
    await screenshot('new-leaflet-by-polling');
  });

  step('every input has a label', async () => {
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
      .filter((input) => {
        const labels = [...(input.labels || [])].map((l) => l.textContent.trim()).filter(Boolean);
        return labels.length === 0 && !input.getAttribute('aria-label') && !input.getAttribute('aria-labelledby');
      })
      .map((input) => input.outerHTML));
    assert.deepEqual(unlabelled, []);
    const count = await page.locator('input, select, textarea').count();
    assert.ok(count >= 8, `all the page's inputs were checked (${count})`);
  });

  step('search by hospital number (and by name)', async () => {
    const searchRequest = page.waitForRequest((r) => r.url().includes('/v1/discharges?') && r.url().includes('hospital_number='));
    await page.getByLabel('Hospital number').fill(patients.zoe.hospitalNumber.toLowerCase());
    await page.getByLabel('Hospital number').press('Enter');
    const url = new URL((await searchRequest).url());
    assert.equal(url.searchParams.get('hospital_number'), patients.zoe.hospitalNumber);
    await page.locator('.list-summary', { hasText: '1 leaflet with hospital number' }).waitFor();
    assert.deepEqual(await patientButtons().allInnerTexts(), [patients.zoe.name]);
    await screenshot('search-by-hospital-number');

    await page.getByLabel('Hospital number').fill('');
    await page.getByLabel('Patient name').fill('pendle');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('.list-summary', { hasText: 'name containing' }).waitFor();
    assert.deepEqual(await patientButtons().allInnerTexts(), [patients.arthur.name]);
    await screenshot('search-by-name');

    // Nothing about the patient goes into the page's own address or into storage.
    assert.equal(new URL(page.url()).pathname + new URL(page.url()).search + new URL(page.url()).hash, '/');
    assert.deepEqual(await page.evaluate(() => [localStorage.length, sessionStorage.length]), [0, 0]);

    await page.getByRole('button', { name: 'Show recent leaflets' }).click();
    await row(patients.bob.name).waitFor();
  });

  step('the preview shows the pages as pictures drawn by the server, with no PDF viewer to print from', async () => {
    const pdfRequests = [];
    page.on('request', (r) => { if (/\/pdf$/.test(new URL(r.url()).pathname)) pdfRequests.push(r.url()); });
    const firstPage = page.waitForResponse((r) => new URL(r.url()).pathname === `/v1/discharges/${patients.zoe.id}/pages/1.png`);
    await page.getByRole('button', { name: patients.zoe.name, exact: true }).click();
    const response = await firstPage;
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'] || '', /^image\/png\b/);
    const count = Number(response.headers()['x-page-count']);
    assert.ok(count >= 2, `the leaflet has its pages (${count})`);
    const images = page.locator('#preview img.preview__page');
    await waitUntil('every page to be drawn', async () => (await images.count()) === count &&
      (await images.evaluateAll((all) => all.every((img) => img.complete && img.naturalWidth > 800))));
    assert.match(await images.first().getAttribute('alt'), new RegExp(`Page 1 of ${count} of the leaflet for Zoë`));
    const box = await images.first().boundingBox();
    assert.ok(box && box.width > 300 && box.height > box.width, `a page is large enough to read (${JSON.stringify(box)})`);
    assert.equal(await page.locator('iframe, embed, object').count(), 0, 'no PDF viewer on the page');
    assert.match(await page.locator('#detail-title').innerText(), /Zoë Łukasiewicz-Ørsted/);
    await images.first().scrollIntoViewIfNeeded();
    await screenshot('preview-pages');

    // The download link fetches the same leaflet as an attachment.
    const href = await page.getByRole('link', { name: 'Download the PDF' }).getAttribute('href');
    assert.equal(href, `/v1/discharges/${patients.zoe.id}/pdf?download=1`);
    const download = await context.request.get(service.base + href);
    assert.equal(download.status(), 200);
    assert.match(download.headers()['content-type'] || '', /^application\/pdf\b/);
    assert.match(download.headers()['content-disposition'] || '', /^attachment\b/);
    // Only the download asked for the PDF; the page itself still never did.
    assert.deepEqual(pdfRequests, [], 'the page never loads the PDF itself');
  });

  step('reprint to the second printer: the job reaches its spool and its state shows', async () => {
    assert.equal(await page.locator('#large-print-field').isVisible(), true, 'a large-print layout exists for vertebroplasty');
    const printer = page.getByLabel('Printer', { exact: true });
    const options = await printer.locator('option').evaluateAll((all) => all.map((o) => o.value));
    assert.ok(options.includes('ward-7-laser') && options.includes('ward-8-laser'), `printers offered: ${options}`);

    // The reason is required: nothing is sent without one.
    let sent = 0;
    const count = (r) => { if (r.url().endsWith('/reprint')) sent += 1; };
    page.on('request', count);
    await page.getByRole('button', { name: 'Reprint', exact: true }).click();
    await page.locator('#reprint-reason-error', { hasText: 'reason' }).waitFor();
    assert.equal(await page.getByLabel('Reason for reprinting').getAttribute('aria-invalid'), 'true');
    assert.equal(sent, 0, 'no request without a reason');
    page.off('request', count);
    await screenshot('reprint-needs-a-reason');

    await printer.selectOption('ward-8-laser');
    await page.getByLabel('Copies (1 to 5)').fill('2');
    await page.getByRole('button', { name: 'Lost', exact: true }).click();
    assert.equal(await page.getByLabel('Reason for reprinting').inputValue(), 'lost');
    const before = service.spooled('ward-8-laser', patients.zoe.id).length;
    const reprintResponse = page.waitForResponse((r) => r.url().endsWith(`/v1/discharges/${patients.zoe.id}/reprint`));
    await page.getByRole('button', { name: 'Reprint', exact: true }).click();
    const response = await reprintResponse;
    assert.equal(response.status(), 202, await response.text());
    const request = response.request();
    assert.ok(request.headers()['x-csrf-token'], 'the reprint carries X-CSRF-Token');
    assert.deepEqual(JSON.parse(request.postData()), { copies: 2, reason: 'lost', printer: 'ward-8-laser' });
    const answer = await response.json();
    await page.locator('#reprint-message',
      { hasText: `Reprint for ${patients.zoe.name} (hospital number ${patients.zoe.hospitalNumber}) sent to ward-8-laser` }).waitFor();

    const job = page.locator(`#jobs li[data-job-id="${answer.job_id}"]`);
    await job.waitFor();
    assert.match(await job.innerText(), /ward-8-laser/);
    assert.match(await job.innerText(), /2 copies · lost · by nurse\.jones/);
    await screenshot('reprint-sent');

    const spooled = await waitUntil('the reprint in the ward 8 printer spool',
      () => { const files = service.spooled('ward-8-laser', patients.zoe.id); return files.length > before && files; },
      { timeout: 30000, interval: 100 });
    assert.equal(service.jobAttribute(spooled[spooled.length - 1], 'IPP_COPIES'), '2');
    await job.locator('.badge', { hasText: 'Printed' }).waitFor({ timeout: 30000 });
    await screenshot('reprint-printed');
  });

  step('reprint in large print: a new leaflet from the stored event, shown in the pane', async () => {
    await page.getByLabel('Large print', { exact: true }).check();
    assert.equal(await page.getByLabel('Reason for reprinting').inputValue(), 'large print requested',
      'ticking large print suggests the reason');
    await page.getByLabel('Printer', { exact: true }).selectOption('ward-7-laser');
    const reprintResponse = page.waitForResponse((r) => r.url().endsWith(`/v1/discharges/${patients.zoe.id}/reprint`));
    const pageResponse = page.waitForResponse((r) => /\/v1\/discharges\/[^/]+\/pages\/1\.png$/.test(new URL(r.url()).pathname) &&
      !new URL(r.url()).pathname.includes(patients.zoe.id));
    await page.getByRole('button', { name: 'Reprint', exact: true }).click();
    const response = await reprintResponse;
    assert.equal(response.status(), 202, await response.text());
    assert.deepEqual(JSON.parse(response.request().postData()),
      { copies: 1, reason: 'large print requested', printer: 'ward-7-laser', large_print: true });
    const answer = await response.json();
    assert.notEqual(answer.id, patients.zoe.id, 'a large-print leaflet has its own id');
    patients.zoeLarge = { id: answer.id };

    await page.locator('#detail-title', { hasText: 'Large-print leaflet for Zoë' }).waitFor();
    const firstPage = await pageResponse;
    assert.equal(new URL(firstPage.url()).pathname, `/v1/discharges/${answer.id}/pages/1.png`);
    assert.equal(firstPage.status(), 200);
    assert.match(firstPage.headers()['content-type'] || '', /^image\/png\b/);
    assert.match(await page.locator('#detail-facts').innerText(), /Large print · \S+\.large version/);
    await page.locator(`#jobs li[data-job-id="${answer.job_id}"] .badge`, { hasText: 'Printed' }).waitFor({ timeout: 30000 });
    await waitUntil('the large-print leaflet in the ward 7 spool', () => service.spooled('ward-7-laser', answer.id).length === 1,
      { timeout: 30000, interval: 100 });
    const largeRow = page.locator('#leaflet-list tr.leaflet-row', { has: page.getByRole('button', { name: `${patients.zoe.name} Large print`, exact: true }) });
    await largeRow.waitFor();
    const largePage = page.locator('#preview img.preview__page').first();
    await waitUntil('the large-print leaflet to be drawn', () => largePage.evaluate((img) => img.complete && img.naturalWidth > 800));
    await largePage.scrollIntoViewIfNeeded();
    await screenshot('reprint-large-print');
  });

  step("a nurse of ward 7 cannot see ward 8's leaflets", async () => {
    assert.equal(await page.locator('#ward-picker-field').isVisible(), false);
    await page.getByLabel('Hospital number').fill(patients.priya.hospitalNumber);
    await page.getByLabel('Hospital number').press('Enter');
    await page.locator('.list-summary', { hasText: 'No leaflets with hospital number' }).waitFor();
    assert.equal(await page.getByText(patients.priya.name).count(), 0);
    await screenshot('ward-8-not-found-for-ward-7-nurse');

    // And the API refuses it too, with this nurse's session (not through the page, whose
    // console would log the 403).
    const list = await context.request.get(service.base + '/v1/discharges?ward=ward-8');
    assert.equal(list.status(), 403, await list.text());
    const pdf = await context.request.get(service.base + `/v1/discharges/${patients.priya.id}/pdf`);
    assert.ok([403, 404].includes(pdf.status()), `PDF of ward 8's leaflet: ${pdf.status()}`);
    const session = await context.request.get(service.base + '/v1/session');
    assert.equal(session.status(), 200);
    const reprint = await context.request.post(service.base + `/v1/discharges/${patients.priya.id}/reprint`, {
      data: { copies: 1, reason: 'lost' },
      headers: { 'X-CSRF-Token': (await session.json()).csrf_token },
    });
    assert.ok([403, 404].includes(reprint.status()), `reprint of ward 8's leaflet: ${reprint.status()}`);
    await page.getByRole('button', { name: 'Show recent leaflets' }).click();
  });

  step('signs out', async () => {
    await signOut();
    await page.locator('#sign-in-error', { hasText: 'You have signed out' }).waitFor();
    assert.equal(await page.locator('#leaflet-list tr').count(), 0, 'no patient data left in the page');
    const session = await context.request.get(service.base + '/v1/session');
    assert.equal(session.status(), 401);
    await screenshot('signed-out');
  });

  step('a failed print is shown as failed, in words', async () => {
    service.setPrinterMode('ward-8-laser', 'fail');
    try {
      const when = new Date();
      patients.harold = { ward: 'ward-8', name: 'Harold Finch', hospitalNumber: 'RHQ8000002', dischargedAt: when };
      patients.harold.id = await service.postEvent(dischargeEvent({
        ward: 'ward-8', givenName: 'Harold', familyName: 'Finch', hospitalNumber: 'RHQ8000002', dischargedAt: when,
      }));
      const doc = await service.waitForState(patients.harold.id, 'failed', 60000);
      const lastError = doc.print_jobs[doc.print_jobs.length - 1].last_error;
      assert.ok(lastError, 'the failed job says why');

      await newPage();
      await signIn('nurse.patel');
      const harold = row(patients.harold.name);
      await harold.waitFor();
      const badge = harold.locator('.badge');
      assert.equal((await badge.innerText()).replace(/\s+/g, ' ').trim(), '⚠ Failed');
      // The reason in words, naming the printer it failed on.
      assert.ok((await harold.innerText()).includes('ward-8-laser failed: ' + errorInWords(lastError).text),
        await harold.innerText());
      await page.locator('#failed-banner', { hasText: '1 leaflet failed to print' }).waitFor();
      assert.match(await row(patients.priya.name).innerText(), /Printed/);
      await screenshot('failed-print');
      await page.getByRole('button', { name: patients.harold.name, exact: true }).click();
      const failedJob = page.locator('#jobs .job--failed', { hasText: 'Why it failed' });
      await failedJob.waitFor();
      await failedJob.scrollIntoViewIfNeeded();
      await screenshot('failed-print-detail');
    } finally {
      service.setPrinterMode('ward-8-laser', 'ok');
    }
  });

  // Moves the page's clock on and waits for the poll that follows; true if that poll paused
  // the page, false if it refreshed the list.
  async function idleFor(minutes) {
    const updated = await page.locator('#updated').textContent();
    await page.clock.fastForward(minutes * 60000);
    return waitUntil(`the poll after ${minutes} idle minutes`, async () => {
      if (await page.locator('#paused').isVisible()) return 'paused';
      return (await page.locator('#updated').textContent()) !== updated && 'refreshed';
    }).then((what) => what === 'paused');
  }

  step('the session sets the time zone and the idle timeout', async () => {
    // Fields the daemon's session answer may not carry yet: added to its real answer here, in
    // a zone whose clock differs from London's in the minutes (UTC+05:45, no summer time).
    const zone = 'Asia/Kathmandu';
    await newPage({ fakeClock: true, sessionFields: { timezone: zone, idle_minutes: 2 } });
    const listRequest = page.waitForRequest((r) => new URL(r.url()).pathname === '/v1/discharges' && r.url().includes('ward='));
    await signIn('nurse.jones');

    // The list asks for leaflets since 00:00 in Kathmandu 7 days ago.
    const now = new Date();
    const today = zoneParts(now, zone);
    const since = new URL((await listRequest).url()).searchParams.get('since');
    assert.equal(since, isoSeconds(new Date(Date.UTC(today.year, today.month - 1, today.day - 7) - (5 * 60 + 45) * 60000)));

    // "Today" is Kathmandu's today, and times are Kathmandu's clock.
    const dayOf = (date) => { const p = zoneParts(date, zone); return p.year * 10000 + p.month * 100 + p.day; };
    const sameDay = (date) => dayOf(date) === dayOf(now);
    const wardSeven = [patients.zoe, patients.zoe, patients.arthur, patients.margaret, patients.bob];   // zoe twice: large print
    const todayCount = wardSeven.filter((p) => sameDay(p.dischargedAt)).length;
    await page.locator('#today-title', { hasText: `Today (${todayCount})` }).waitFor();
    await page.locator('#earlier-title', { hasText: `Last 7 days (${wardSeven.length - todayCount})` }).waitFor();
    const cell = await row(patients.arthur.name).locator('td.cell-time').innerText();
    const yesterday = dayOf(new Date(now.getTime() - 86400000));   // Kathmandu has no summer time
    const dayWord = sameDay(patients.arthur.dischargedAt) ? 'Today'
      : (dayOf(patients.arthur.dischargedAt) === yesterday ? 'Yesterday' : null);
    assert.ok(dayWord, 'Arthur went home today or yesterday in Kathmandu');
    assert.equal(cell, dayWord + ' ' + zoneClock(patients.arthur.dischargedAt, zone));
    assert.notEqual(zoneClock(patients.arthur.dischargedAt, zone), londonClock(patients.arthur.dischargedAt));

    // Paused after 2 idle minutes, not the default 15.
    assert.equal(await idleFor(1.5), false, 'still shown after 1.5 idle minutes');
    assert.equal(await idleFor(1), true, 'paused after 2.5 idle minutes');
    assert.equal(await page.getByText(patients.arthur.name).count(), 0, 'no patient data left in the page');
  });

  step('a page nobody uses stops polling and hides patient data', async () => {
    await newPage({ fakeClock: true });
    await signIn('nurse.patel');
    await row(patients.priya.name).waitFor();
    // The daemon's auth.session_idle_minutes (30 here) when its session answer says it, else 15.
    const session = await (await context.request.get(service.base + '/v1/session')).json();
    const idleMinutes = session.idle_minutes > 0 ? session.idle_minutes : 15;
    if (session.idle_minutes !== undefined) assert.equal(session.idle_minutes, 30, 'auth.session_idle_minutes');
    assert.equal(await idleFor(idleMinutes - 1), false, `still shown after ${idleMinutes - 1} idle minutes`);
    assert.equal(await idleFor(2), true, `paused after ${idleMinutes + 1} idle minutes`);
    await page.locator('#paused').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#app').isVisible(), false);
    assert.equal(await page.getByText(patients.priya.name).count(), 0, 'no patient data left in the page');
    await screenshot('paused-when-idle');
    await page.getByRole('button', { name: 'Carry on' }).click();
    await row(patients.priya.name).waitFor();
  });

  step('an admin picks between wards; the printer panel shows each printer', async () => {
    await signOut();
    await signIn('admin.lee');
    const picker = page.getByLabel('Ward', { exact: true });
    await picker.waitFor({ state: 'visible' });
    const wards = await picker.locator('option').evaluateAll((all) => all.map((o) => [o.value, o.textContent]));
    assert.deepEqual(wards, [['ward-7', 'Ward 7'], ['ward-8', 'Ward 8']]);
    await row(patients.zoe.name).first().waitFor();
    await picker.selectOption('ward-8');
    await row(patients.priya.name).waitFor();
    await row(patients.harold.name).waitFor();
    assert.equal(await row(patients.zoe.name).count(), 0);

    const panel = page.locator('#printer-list');
    for (const name of ['ward-7-laser', 'ward-8-laser']) {
      await panel.locator(`li.printer[data-printer="${name}"] .badge`, { hasText: /Ready|Printing/ }).waitFor();
    }
    await screenshot('admin-ward-8-and-printers');
  });

  step('a jammed printer shows in the printer panel in plain words', async () => {
    service.setPrinterMode('ward-7-laser', 'jam');
    try {
      const when = new Date();
      patients.jam = { name: 'Ivy Jameson', hospitalNumber: 'RHQ7000005' };
      patients.jam.id = await service.postEvent(dischargeEvent({
        ward: 'ward-7', givenName: 'Ivy', familyName: 'Jameson', hospitalNumber: 'RHQ7000005', dischargedAt: when,
      }));
      const printer = page.locator('li.printer[data-printer="ward-7-laser"]');
      await printer.locator('.printer__note', { hasText: 'Paper jam' }).waitFor({ timeout: 30000 });
      await printer.locator('.badge', { hasText: 'Needs attention' }).waitFor();
      await screenshot('printer-jammed');
    } finally {
      service.setPrinterMode('ward-7-laser', 'ok');
    }
    await service.waitForState(patients.jam.id, 'printed', 30000);
  });

  step('fits a tablet without sideways scrolling', async () => {
    await page.setViewportSize({ width: 800, height: 1280 });
    await row(patients.priya.name).waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(await overflow(), 0, 'the list fits');
    await screenshot('tablet-list');
    await page.getByRole('button', { name: patients.harold.name, exact: true }).click();
    await page.locator('#preview img.preview__page').first().waitFor({ state: 'visible' });
    assert.equal(await overflow(), 0, 'the leaflet pane fits');
    await page.getByLabel('Reason for reprinting').scrollIntoViewIfNeeded();
    await screenshot('tablet-leaflet');
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  // Last but one: the lock-out it causes would refuse every later sign-in from here.
  step('too many wrong passwords: the page says to wait', async () => {
    await signOut();
    let throttled = false;
    for (let attempt = 1; attempt <= 8 && !throttled; attempt += 1) {
      const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/session' && r.request().method() === 'POST');
      await page.getByLabel('User name').fill('nurse.jones');
      await page.getByLabel('Password', { exact: true }).fill('wrong-' + attempt);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const status = (await answer).status();
      assert.ok([401, 429].includes(status), `sign-in answered ${status}`);
      throttled = status === 429;
      await page.locator('#sign-in-submit:not([disabled])').waitFor();
    }
    assert.ok(throttled, 'sign-in is refused with 429 after repeated failures');
    assert.match(await page.locator('#sign-in-error').innerText(), /Too many attempts to sign in\. Wait \d+ minutes? and try again\./);
    await screenshot('sign-in-throttled');
  });

  step('the browser console showed no errors', async () => {
    assert.deepEqual(consoleProblems, []);
    // The expected 401s and 429 of /v1/session are the only messages let through (see above).
    assert.ok(allowedConsole.length <= 16, allowedConsole.join('\n'));
  });
});
