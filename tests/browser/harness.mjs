// Real parts for the browser tests: a private D-Bus bus, two emulated IPP printers
// (scripts/printer-emulator, ippeveprinter underneath), wardprintd with a configuration
// written to a temporary folder, and Debian's Chromium driven by playwright-core.
// Every process is started in its own process group and stopped again, also on failure.

import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WARDPRINTD = path.resolve(REPO, process.env.WARDPRINTD || 'build/wardprintd');
export const WARDPRINT = path.resolve(REPO, process.env.WARDPRINT || path.join(path.dirname(WARDPRINTD), 'wardprint'));
export const OUTPUT_DIR = path.resolve(REPO, process.env.BROWSER_TEST_OUTPUT || 'build/test-output/browser');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// The page's files as the daemon serves them (server.page_dir).
export const PAGE_DIR = path.resolve(REPO, process.env.PAGE_DIR || 'service/http/page');

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run',
];

// ------------------------------------------------------------------ waiting, bounded

export async function waitUntil(what, condition, { timeout = 15000, interval = 50 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await condition();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}` +
        (last instanceof Error ? `: ${last.message}` : ''));
    }
    await new Promise((resolve) => setTimeout(resolve, interval));   // poll interval, not a sleep for effect
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function portOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (open) => { socket.destroy(); resolve(open); };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

// ------------------------------------------------------------------ test steps

// step(name, fn) for a test file: a node:test test bounded by `timeout` that, on failure,
// calls onFailure(), takes a screenshot named after the step and adds the services' logs,
// so that what the page showed is kept.
// Opens the page and signs in as `user` (one of USERS), then waits for the first list.
export async function signIn(page, service, user) {
  await page.goto(service.base + '/', { waitUntil: 'domcontentloaded' });
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password', { exact: true }).fill(USERS[user].password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#updated').filter({ hasText: 'Updated' }).waitFor();
}

// Closes the open leaflet, if any, so that a step starts from the list.
export async function closeLeaflet(page) {
  if (await page.locator('#detail').isVisible()) await page.getByRole('button', { name: 'Close', exact: true }).click();
}

// A screenshot function for stepsFor: <shots>/<name>-<width>x<height>.png of currentPage().
export const screenshotsIn = (shots, currentPage, timeout) => async (name) => {
  const page = currentPage();
  const size = page.viewportSize();
  const file = path.join(shots, `${name}-${size.width}x${size.height}.png`);
  await page.screenshot({ path: file, timeout });
  return file;
};

// A new page in `browser` at `viewport` whose console errors and warnings go to `problems`
// (all but the 401 of the page's first session check, before anyone signs in).
// The two screens every page test looks at: a desktop and a tablet held upright.
export const PAGE_SIZES = [{ width: 1280, height: 900 }, { width: 820, height: 1180 }];

export const launchBrowser = () =>
  chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30000 });

// Closes the browser, then stops the service, keeping its files when the setup failed.
export async function closeBrowserAndService(browser, service, failed) {
  try {
    if (browser) await browser.close();
  } finally {
    await service.stop();
    service.cleanUp(failed);
  }
}

export async function watchedPage(browser, viewport, timeout, problems) {
  const context = await browser.newContext({ viewport, locale: 'en-GB' });
  context.setDefaultTimeout(timeout);
  const page = await context.newPage();
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !/status of 401/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (err) => problems.push('page error: ' + err.message));
  return page;
}

export function stepsFor(service, screenshot, { timeout, onFailure }) {
  return (name, fn) => test(name, { timeout }, async () => {
    try {
      await fn();
    } catch (err) {
      onFailure();
      try { await screenshot('FAILED-' + name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()); } catch (_) { /* no page */ }
      err.message += '\n' + service.logs();
      throw err;
    }
  });
}

// ------------------------------------------------------------------ child processes

const running = new Set();

function killGroup(child, signal) {
  try { process.kill(-child.pid, signal); } catch (_) { /* already gone */ }
}

// Last resort: whatever is still running when this process exits is killed.
process.once('exit', () => { for (const child of running) killGroup(child, 'SIGKILL'); });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => { for (const child of running) killGroup(child, 'SIGKILL'); process.exit(130); });
}

export class Child {
  constructor(name, command, args, { env = {}, log }) {
    this.name = name;
    this.log = log;
    const out = fs.openSync(log, 'a');
    this.process = spawn(command, args, {
      env: { ...process.env, ...env }, stdio: ['ignore', out, out], detached: true,
    });
    fs.closeSync(out);
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code, signal) => { running.delete(this.process); this.exitCode = code ?? signal; resolve(); });
      this.process.once('error', (err) => { running.delete(this.process); this.exitCode = err.message; resolve(); });
    });
    running.add(this.process);
  }

  get alive() { return this.exitCode === undefined; }

  async stop(timeout = 5000) {
    if (!this.alive) return;
    killGroup(this.process, 'SIGCONT');
    killGroup(this.process, 'SIGTERM');
    const timer = new Promise((resolve) => setTimeout(resolve, timeout).unref());
    await Promise.race([this.exited, timer]);
    if (this.alive) {
      killGroup(this.process, 'SIGKILL');
      await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, timeout).unref())]);
    }
  }

  tail(lines = 40) {
    try {
      return fs.readFileSync(this.log, 'utf8').split('\n').slice(-lines).join('\n');
    } catch (_) {
      return '';
    }
  }
}

// ------------------------------------------------------------------ passwords and tokens

// The hash for the configuration comes from wardprint itself: `wardprint hash-password`
// reads the password on standard input and prints the hash.
export function hashPassword(password) {
  const result = spawnSync(WARDPRINT, ['hash-password'], { input: password + '\n', encoding: 'utf8', timeout: 30000 });
  if (result.error) throw new Error(`${WARDPRINT} hash-password: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${WARDPRINT} hash-password exited ${result.status}: ${result.stderr}`);
  const hash = result.stdout.trim().split('\n').pop().trim();
  if (!hash) throw new Error(`${WARDPRINT} hash-password printed nothing`);
  return hash;
}

export const sha256hex = (text) => crypto.createHash('sha256').update(text).digest('hex');

// ------------------------------------------------------------------ the whole service

export const USERS = {
  'nurse.jones': { password: 'Jones-ward7-leaflets', role: 'nurse', wards: ['ward-7'] },
  'nurse.patel': { password: 'Patel-ward8-leaflets', role: 'nurse', wards: ['ward-8'] },
  'admin.lee': { password: 'Lee-admin-both-wards', role: 'admin', wards: ['ward-7', 'ward-8'] },
};

export class Service {
  // stuckAfterSeconds: printing.stuck_after_seconds; printerNames: give the printers display
  // names and locations (printers.<id>.name, .location) instead of leaving them to their ids.
  // hl7: map HL7 location T11E to ward 7 and OPCS V44.4 to vertebroplasty (for postHl7).
  constructor({ stuckAfterSeconds = null, printerNames = false, allowDraftLayouts = false, hl7 = false } = {}) {
    this.hl7 = hl7;
    this.stuckAfterSeconds = stuckAfterSeconds;
    this.printerNames = printerNames;
    this.allowDraftLayouts = allowDraftLayouts;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wardprint-browser-'));
    this.children = [];
    this.token = crypto.randomBytes(24).toString('hex');
    this.printers = {};
  }

  async start() {
    for (const binary of [WARDPRINTD, WARDPRINT]) {
      if (!fs.existsSync(binary)) throw new Error(`${binary} is missing: build it first (or set WARDPRINTD)`);
    }
    // A private D-Bus bus: Debian's ippeveprinter will not start without one.
    const socket = path.join(this.dir, 'dbus.sock');
    this.busAddress = 'unix:path=' + socket;
    this.dbus = this.spawn('dbus-daemon', 'dbus-daemon', ['--config-file=/usr/share/dbus-1/session.conf',
      '--address=' + this.busAddress, '--nofork', '--nopidfile'], {}, 'dbus.log');
    await waitUntil('the D-Bus socket', () => fs.existsSync(socket) || this.failedEarly(this.dbus), { timeout: 10000 });

    for (const name of ['ward-7-laser', 'ward-8-laser']) {
      const dir = path.join(this.dir, name);
      fs.mkdirSync(dir, { recursive: true });
      const port = await freePort();
      const child = this.spawn(name, path.join(REPO, 'scripts/printer-emulator'), [dir, String(port), name],
        { DBUS_SYSTEM_BUS_ADDRESS: this.busAddress }, name + '.log');
      this.printers[name] = { name, dir, port, child, uri: `ipp://127.0.0.1:${port}/ipp/print` };
    }
    for (const printer of Object.values(this.printers)) {
      await waitUntil(`printer ${printer.name} on port ${printer.port}`,
        async () => (await portOpen(printer.port)) || this.failedEarly(printer.child), { timeout: 15000 });
    }

    this.port = await freePort();
    this.base = `http://127.0.0.1:${this.port}`;
    this.configPath = path.join(this.dir, 'wardprint.yaml');
    fs.writeFileSync(this.configPath, this.config());
    this.daemon = this.spawn('wardprintd', WARDPRINTD, ['--config', this.configPath], {}, 'wardprintd.log');
    await waitUntil('wardprintd to listen', async () => (await portOpen(this.port)) || this.failedEarly(this.daemon),
      { timeout: 20000 });
    await waitUntil('GET /healthz', async () => (await fetch(this.base + '/healthz')).status === 200, { timeout: 10000 });
  }

  failedEarly(child) {
    if (!child.alive) throw new Error(`${child.name} exited (${child.exitCode}):\n${child.tail()}`);
    return false;
  }

  spawn(name, command, args, env, logName) {
    const child = new Child(name, command, args, { env, log: path.join(this.dir, logName) });
    this.children.push(child);
    return child;
  }

  config() {
    const users = Object.entries(USERS).map(([name, user]) =>
      `    - { name: ${name}, password_hash: "${hashPassword(user.password)}", role: ${user.role}, wards: [${user.wards.join(', ')}] }`);
    const p7 = this.printers['ward-7-laser'];
    const p8 = this.printers['ward-8-laser'];
    return [
      '# Written by tests/browser for one run.',
      `server: { host: 127.0.0.1, port: ${this.port}, threads: 8, page_dir: "${PAGE_DIR}" }`,
      `store: { path: "${path.join(this.dir, 'wardprint.db')}", create: true }`,
      `site: { name: Test Hospital, timezone: Europe/London, layouts_dir: "${path.join(REPO, 'layouts')}"` +
        (this.allowDraftLayouts ? ', allow_draft_layouts: true' : '') + ' }',
      'contacts: [ { label: Radiology, phone: "0114 271 5432" } ]',
      // One attempt and no wait: a failing printer fails the job at once (ward 8 has no fallback).
      'printing: { max_attempts: 1, first_retry_seconds: 0, max_retry_seconds: 1, connect_timeout_ms: 1000,',
      '            io_timeout_seconds: 5, status_interval_seconds: 1' +
        (this.stuckAfterSeconds ? `, stuck_after_seconds: ${this.stuckAfterSeconds}` : '') + ' }',
      'printers:',
      `  ward-7-laser: { uri: "${p7.uri}"${this.printerNames ? ', name: Ward 7 printer, location: "Ward 7, nurses\' station"' : ''} }`,
      `  ward-8-laser: { uri: "${p8.uri}"${this.printerNames ? ', name: Ward 8 printer, location: "Ward 8, by the lifts"' : ''} }`,
      'wards:',
      '  ward-7: { name: Ward 7, phone: "0114 000 0007", printer: ward-7-laser, fallback_printer: ward-8-laser }',
      '  ward-8: { name: Ward 8, phone: "0114 000 0008", printer: ward-8-laser }',
      ...(this.hl7 ? ['hl7: { hospital_number: { type: MR }, locations: { T11E: ward-7 }, procedure_codes: { "V44.4": vertebroplasty } }'] : []),
      'auth:',
      '  session_idle_minutes: 30',
      `  api_tokens: [ { name: pas-feed, sha256: "${sha256hex(this.token)}", role: ward-system } ]`,
      '  users:',
      ...users,
      '',
    ].join('\n');
  }

  // POST /v1/hl7 as the ward system; returns the ACK's MSA-1 (AA, AE, AR).
  async postHl7(message) {
    const response = await fetch(this.base + '/v1/hl7', {
      method: 'POST', body: message, signal: AbortSignal.timeout(15000),
      headers: { Authorization: 'Bearer ' + this.token, 'Content-Type': 'x-application/hl7-v2+er7' },
    });
    const ack = await response.text();
    if (response.status !== 200) throw new Error(`POST /v1/hl7 answered ${response.status}: ${ack}`);
    return (/\rMSA\|([A-Z]{2})\|/.exec(ack) || [])[1];
  }

  // A printer that takes connections and never answers (SIGSTOP), and back (SIGCONT).
  freezePrinter(printer) { killGroup(this.printers[printer].child.process, 'SIGSTOP'); }
  thawPrinter(printer) { killGroup(this.printers[printer].child.process, 'SIGCONT'); }

  setPrinterMode(printer, mode) {
    fs.writeFileSync(path.join(this.printers[printer].dir, 'mode'), mode + '\n');
  }

  // The PDFs a printer received for one document: <job-id>-wardprint-<id>-<n>.pdf, lower-cased.
  spooled(printer, documentId) {
    const spool = path.join(this.printers[printer].dir, 'spool');
    if (!fs.existsSync(spool)) return [];
    const wanted = ('wardprint-' + documentId + '-').toLowerCase();
    return fs.readdirSync(spool)
      .filter((name) => name.endsWith('.pdf') && name.slice(name.indexOf('-') + 1).startsWith(wanted))
      .map((name) => path.join(spool, name));
  }

  jobAttribute(pdf, name) {
    try {
      const line = fs.readFileSync(pdf + '.env', 'utf8').split('\n').find((l) => l.startsWith(name + '='));
      return line ? line.slice(name.length + 1) : null;
    } catch (_) {
      return null;
    }
  }

  // ---------------------------------------------------------------- the ward system's side

  async request(method, urlPath, body) {
    const headers = { Authorization: 'Bearer ' + this.token, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(this.base + urlPath, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(15000),
    });
    const text = await response.text();
    let json = null;
    try { json = JSON.parse(text); } catch (_) { /* not JSON */ }
    return { status: response.status, json, text, headers: response.headers };
  }

  async postEvent(event) {
    const reply = await this.request('POST', '/v1/discharges', event);
    if (reply.status !== 202) throw new Error(`POST /v1/discharges answered ${reply.status}: ${reply.text}`);
    return reply.json.id;
  }

  async document(id) {
    const reply = await this.request('GET', '/v1/discharges/' + encodeURIComponent(id));
    if (reply.status !== 200) throw new Error(`GET /v1/discharges/${id} answered ${reply.status}: ${reply.text}`);
    return reply.json;
  }

  async waitForState(id, state, timeout = 30000) {
    return waitUntil(`document ${id} to be ${state}`, async () => {
      const doc = await this.document(id);
      if (doc.state === state) return doc;
      if (state !== 'failed' && doc.state === 'failed') {
        throw new Error(`document ${id} failed: ${JSON.stringify(doc.print_jobs)}`);
      }
      return false;
    }, { timeout, interval: 200 });
  }

  async stop() {
    // The daemon first, so that it is not left talking to printers that have gone.
    const order = [this.daemon, ...Object.values(this.printers).map((p) => p.child), this.dbus].filter(Boolean);
    for (const child of order) await child.stop();
    for (const child of this.children) await child.stop();
  }

  // The temporary folder goes unless something failed: then its logs, store and spools
  // are kept for a look, and its path is printed.
  cleanUp(keep) {
    if (keep) console.log(`# kept for inspection: ${this.dir}`);
    else fs.rmSync(this.dir, { recursive: true, force: true });
  }

  logs() {
    return this.children.map((child) => `----- ${child.name} (${child.alive ? 'running' : 'exited: ' + child.exitCode}; ` +
      `${child.log})\n${child.tail(child === this.daemon ? 40 : 12)}`).join('\n');
  }
}

// ------------------------------------------------------------------ discharge events

const SAMPLE = JSON.parse(fs.readFileSync(path.join(REPO, 'tests/data/discharge-vertebroplasty.json'), 'utf8'));
let eventCounter = 0;
const runId = Date.now().toString(36).toUpperCase();

// A copy of tests/data/discharge-vertebroplasty.json with its own event_id.
export function dischargeEvent({ ward, givenName, familyName, hospitalNumber, dischargedAt }) {
  const event = structuredClone(SAMPLE);
  event.event_id = `WEB-${runId}-${++eventCounter}`;
  event.ward = ward;
  event.patient.given_name = givenName;
  event.patient.family_name = familyName;
  event.patient.hospital_number = hospitalNumber;
  event.discharged_at = isoSeconds(dischargedAt);
  event.procedure.performed_at = isoSeconds(new Date(dischargedAt.getTime() - 4 * 3600 * 1000));
  return event;
}

// An HL7 v2.5 ADT message for a vertebroplasty on location T11E (ward 7), discharged an hour
// ago: `procedure` is PR1-3.1's OPCS code, `died` PID-30.
export function adtMessage({ trigger = 'A03', visit, givenName, familyName, hospitalNumber, procedure = 'V44.4', died = '' }) {
  const stamp = (minutesAgo) => new Date(Date.now() - minutesAgo * 60000).toISOString().replace(/[-:T]/g, '').slice(0, 12) + '+0000';
  const segment = (name, fields) => {
    const last = Math.max(...Object.keys(fields).map(Number));
    return [name, ...Array.from({ length: last }, (_, i) => fields[i + 1] ?? '')].join('|');
  };
  return [
    `MSH|^~\\&|PAS|RRV|WARDPRINT|RRV|${stamp(59)}||ADT^${trigger}|${visit}-${trigger}|P|2.5`,
    `EVN|${trigger}|${stamp(59)}`,
    segment('PID', { 1: '1', 3: `${hospitalNumber}^^^RRV^MR`, 5: `${familyName}^${givenName}^^^^^L`, 7: '19480312', 30: died }),
    segment('PV1', { 1: '1', 2: 'I', 3: 'T11E^Bay 2^Bed 4^RRV', 19: visit, 45: stamp(60) }),
    `PR1|1||${procedure}^Percutaneous vertebroplasty^OPCS4||${stamp(180)}`,
    '',
  ].join('\r');
}

export const isoSeconds = (date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

// ------------------------------------------------------------------ time zones

const LONDON = 'Europe/London';
const partsFormats = new Map();

// {year, month, day, hour, minute, second} of the instant in the zone (London by default).
export function zoneParts(date, zone = LONDON) {
  if (!partsFormats.has(zone)) {
    partsFormats.set(zone, new Intl.DateTimeFormat('en-GB', {
      timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
      second: '2-digit', hourCycle: 'h23',
    }));
  }
  const parts = {};
  for (const p of partsFormats.get(zone).formatToParts(date)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return parts;
}

// "14:05" in the zone.
export function zoneClock(date, zone = LONDON) {
  const p = zoneParts(date, zone);
  return String(p.hour).padStart(2, '0') + ':' + String(p.minute).padStart(2, '0');
}

export const londonClock = (date) => zoneClock(date, LONDON);

// Milliseconds since 00:00 today in London.
export function msSinceLondonMidnight(date) {
  const p = zoneParts(date, LONDON);
  return ((p.hour * 60 + p.minute) * 60 + p.second) * 1000 + date.getMilliseconds();
}
