// What every end-to-end run shares: a demo county served by the real binary, Debian's Chromium
// driven by playwright-core, logging in through the page, and counting checks.
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaChecker } from './schema-check.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Screenshots go to the build folder, so a test run leaves the checkout clean;
// scripts/screenshots points JZ_SCREENSHOTS at docs/screenshots/ to refresh the documentation's.
export const shots = path.resolve(root, process.env.JZ_SCREENSHOTS ?? 'build/screenshots');

// YYYY-MM-DD plus days.
export function addDays(iso, days) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

// Creates the demo county in a temporary directory and serves it (`web` as the workbench, default
// web/dist) on a free port: { base, server, db, tmp }. Also used by bench/web-load.mjs.
export async function serveDemo(jingzhun, tmpPrefix, web = path.join(root, 'web/dist')) {
  const tmp = mkdtempSync(path.join(tmpdir(), tmpPrefix));
  const db = path.join(tmp, 'demo.db');
  execFileSync(jingzhun, ['demo', '--db', db, '--force'], { cwd: root, stdio: 'ignore', timeout: 600000 });
  const server = spawn(jingzhun, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web', web], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[0-9.]+:\d+)\//);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error('server exited ' + code)));
    setTimeout(() => reject(new Error('server did not start')), 20000);
  });
  return { base, server, db, tmp };
}

// Debian's Chromium, headless, without the background traffic that would blur byte counts.
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-sync', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

// Serves the demo county (serveDemo) and starts Chromium. `jingzhunArg` is argv[2] (default
// build/jingzhun).
export async function startDemo(jingzhunArg, tmpPrefix) {
  const jingzhun = path.resolve(jingzhunArg ?? path.join(root, 'build/jingzhun'));
  mkdirSync(shots, { recursive: true });
  const { base, server, db, tmp } = await serveDemo(jingzhun, tmpPrefix);
  // A run that hangs fails after JZ_E2E_SECONDS (default 900) instead of holding up the others.
  const limit = Number(process.env.JZ_E2E_SECONDS ?? 900);
  setTimeout(() => {
    console.log(`FAIL the run did not end within ${limit} s`);
    server.kill('SIGKILL');
    process.exit(1);
  }, limit * 1000).unref();
  const browser = await launchChromium();

  // Every context's API answers are checked against the OpenAPI document.
  const schemas = schemaChecker(root);
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => {
    const context = await newContext(...args);
    schemas.watch(context);
    return context;
  };

  let failures = 0;
  return {
    base,
    browser,
    db,
    tmp,  // a scratch directory, removed at finish
    check(what, ok, detail = '') {
      if (ok) console.log('ok   ' + what);
      else {
        failures++;
        console.log('FAIL ' + what + (detail ? ': ' + detail : ''));
      }
    },
    fail(e) {
      failures++;
      console.log('FAIL ' + (e?.stack ?? e));
    },
    // The API as a logged-in browser context (its session cookie); a non-2xx answer throws.
    async getJson(context, route) {
      const res = await context.request.get(base + route);
      if (!res.ok()) throw new Error(`GET ${route}: ${res.status()} ${await res.text()}`);
      return res.json();
    },
    async postJson(context, route, data) {
      const res = await context.request.post(base + route, { data });
      const body = await res.json();
      if (!res.ok()) throw new Error(`POST ${route}: ${res.status()} ${JSON.stringify(body)}`);
      return body;
    },
    // Logs in through the login page; the page, on the page the user lands on.
    async login(context, username, password = 'jingzhun-demo') {
      const page = await context.newPage();
      await page.goto(base + '/');
      await page.waitForURL(/\/login/);
      await page.fill('input[name=username]', username);
      await page.fill('input[name=password]', password);
      await page.click('button[type=submit]');
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      return page;
    },
    // Stops everything, reports, and exits 1 when a check failed.
    async finish(name) {
      const answers = await schemas.report();
      if (answers.problems.length) {
        failures += answers.problems.length;
        for (const p of answers.problems) console.log('FAIL answer differs from openapi.json: ' + p);
      } else console.log(`ok   ${answers.checked} API answers match openapi.json`);
      // Chromium is given a while to close (a page its service worker controls has kept it from
      // answering); whatever is left of it is killed when this process exits.
      let timer;
      await Promise.race([browser.close(), new Promise((resolve) => { timer = setTimeout(resolve, 15000); })]);
      clearTimeout(timer);
      server.kill('SIGTERM');
      rmSync(tmp, { recursive: true, force: true });
      console.log(failures ? `${failures} e2e check(s) failed` : `${name}: all checks passed`);
      process.exit(failures ? 1 : 0);
    },
  };
}
