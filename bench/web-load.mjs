// The battle map's load on a slow county link (issue 13): bytes transferred and times, in Debian's
// Chromium driven by playwright-core, through Chromium's network emulation (default 1.5 Mbit/s
// down, 0.75 Mbit/s up, 300 ms latency).
//
// Usage: node bench/web-load.mjs [build/jingzhun] [--web DIR] [--label NAME] [--runs N]
//                                [--down-kbps 1500] [--up-kbps 750] [--latency-ms 300]
//
// Creates the demo county in a temporary folder, serves it with the given binary and web folder
// (default web/dist), logs in as admin through the API (so no page is loaded yet), then:
//   first  — the battle map (/) in a fresh browser context: an empty cache;
//   return — the battle map again in a new tab of the same context: what the cache keeps.
// For each: bytes transferred (Chromium's encodedDataLength: headers and encoded bodies, over every
// request), requests (static files and API answers apart), first contentful paint, and the time
// the chart is drawn (window.__jzDashboardMs set by the battle map, or its first canvas), both from
// the navigation's start. With --runs N each figure is the median of N fresh contexts.
// Prints a human summary, then one JSON line (the last line) for scripts.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, serveDemo } from '../web/e2e/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf('--' + name);
  if (i < 0) return fallback;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const web = path.resolve(option('web', path.join(root, 'web/dist')));
const label = option('label', 'current');
const runs = Number(option('runs', '1'));
const downKbps = Number(option('down-kbps', '1500'));
const upKbps = Number(option('up-kbps', '750'));
const latency = Number(option('latency-ms', '300'));
const jingzhun = path.resolve(args[0] ?? path.join(root, 'build/jingzhun'));

const { base, server, tmp } = await serveDemo(jingzhun, 'jz-web-load-', web);
const browser = await launchChromium();

// One page load under emulation: what went over the wire and when the page painted and charted.
async function load(context) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency,
    downloadThroughput: (downKbps * 1000) / 8,
    uploadThroughput: (upKbps * 1000) / 8,
  });
  const urls = new Map();
  const fromCache = new Set();
  const totals = { bytes: 0, static_bytes: 0, api_bytes: 0, requests: 0, static_requests: 0, api_requests: 0,
    cached: 0, files: [] };
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.requestServedFromCache', (e) => fromCache.add(e.requestId));
  cdp.on('Network.responseReceived', (e) => {
    if (e.response.fromDiskCache || e.response.fromPrefetchCache || e.response.fromServiceWorker) fromCache.add(e.requestId);
  });
  cdp.on('Network.loadingFinished', (e) => {
    const url = urls.get(e.requestId) ?? '';
    if (!url.startsWith('http')) return;
    if (fromCache.has(e.requestId) && !e.encodedDataLength) {
      totals.cached++;
      return;
    }
    const api = new URL(url).pathname.startsWith('/api/');
    totals.bytes += e.encodedDataLength;
    totals.requests++;
    if (api) {
      totals.api_bytes += e.encodedDataLength;
      totals.api_requests++;
    } else {
      totals.static_bytes += e.encodedDataLength;
      totals.static_requests++;
    }
    totals.files.push([new URL(url).pathname, e.encodedDataLength]);
  });
  await page.goto(base + '/', { waitUntil: 'commit', timeout: 120000 });
  await page.waitForFunction(
    () => (window).__jzDashboardMs !== undefined || document.querySelector('canvas') !== null,
    null, { timeout: 120000, polling: 'raf' });
  const chartMs = await page.evaluate(() => performance.now());
  // Whatever the page still fetches after the chart (lazy parts) counts too.
  await page.waitForLoadState('networkidle', { timeout: 120000 }).catch(() => undefined);
  const fcp = await page.evaluate(() => {
    const e = performance.getEntriesByName('first-contentful-paint')[0];
    return e ? e.startTime : null;
  });
  await page.close();
  return { ...totals, fcp_ms: fcp === null ? null : Math.round(fcp), chart_ms: Math.round(chartMs) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};
const summarise = (loads) => {
  const out = {};
  for (const k of ['bytes', 'static_bytes', 'api_bytes', 'requests', 'static_requests', 'api_requests', 'cached', 'fcp_ms', 'chart_ms'])
    out[k] = median(loads.map((l) => l[k]));
  return out;
};

const first = [];
const again = [];
let files = [];
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const login = await context.request.post(base + '/api/login', {
      data: { username: 'admin', password: 'jingzhun-demo' },
    });
    if (!login.ok()) throw new Error('login failed: ' + login.status());
    const f = await load(context);
    first.push(f);
    files = f.files;
    again.push(await load(context));
    await context.close();
  }
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
}

const result = {
  bench: 'web-load',
  label,
  link: { down_kbps: downKbps, up_kbps: upKbps, latency_ms: latency },
  runs,
  first: summarise(first),
  return: summarise(again),
};
result.goals = {
  first_le_600kb: result.first.bytes <= 600 * 1024,
  return_le_50kb: result.return.bytes <= 50 * 1024,
  chart_le_4s: result.first.chart_ms <= 4000,
};
const kb = (n) => (n / 1024).toFixed(1) + ' KiB';
console.log(`web-load (${label}), ${downKbps} kbit/s down, ${upKbps} kbit/s up, ${latency} ms; median of ${runs}`);
for (const [name, r] of [['first load', result.first], ['return visit', result.return]])
  console.log(`  ${name.padEnd(12)} ${kb(r.bytes).padStart(11)} in ${r.requests} requests ` +
    `(static ${kb(r.static_bytes)} / ${r.static_requests}, API ${kb(r.api_bytes)} / ${r.api_requests}, ` +
    `${r.cached} from cache); first paint ${r.fcp_ms} ms, chart ${r.chart_ms} ms`);
console.log('  largest files of the first load: ' +
  files.filter(([p]) => !p.startsWith('/api/')).sort((a, b) => b[1] - a[1]).slice(0, 5)
    .map(([p, n]) => `${p} ${kb(n)}`).join(', '));
console.log(JSON.stringify(result));
