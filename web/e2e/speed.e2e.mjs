// End-to-end: how the server sends the workbench (issue 13, "speed on county links"): brotli and
// gzip negotiated from Accept-Encoding and real, hashed files cached for good, index.html
// revalidated (304), HEAD; and ECharts loaded only by pages with charts. Checks, not timings
// (bench/web-load.mjs measures).
// Usage: node web/e2e/speed.e2e.mjs [path/to/jingzhun]   (web/dist must be built)
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startDemo } from './harness.mjs';

const { base, browser, check, fail, finish } = await startDemo(process.argv[2], 'jz-speed-');

// One request with exactly the headers given (no client-side decompression).
function request(method, target, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(base + target, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

try {
  // index.html: negotiated, revalidated.
  const plain = await request('GET', '/');
  check('index.html is sent as it is when no coding is accepted', plain.status === 200 && !plain.headers['content-encoding']);
  const br = await request('GET', '/', { 'Accept-Encoding': 'gzip, deflate, br' });
  check('index.html is sent brotli-compressed to a browser', br.headers['content-encoding'] === 'br',
    String(br.headers['content-encoding']));
  check('… and decompresses to the same page', brotliDecompressSync(br.body).equals(plain.body));
  check('… with Vary: Accept-Encoding', br.headers.vary === 'Accept-Encoding', String(br.headers.vary));
  check('index.html is revalidated (no-cache) and has an ETag',
    br.headers['cache-control'] === 'no-cache' && !!br.headers.etag, `${br.headers['cache-control']} ${br.headers.etag}`);
  const gz = await request('GET', '/households', { 'Accept-Encoding': 'gzip;q=1, br;q=0' });
  check('the app fallback is sent gzip when brotli is refused', gz.headers['content-encoding'] === 'gzip'
    && gunzipSync(gz.body).equals(plain.body), String(gz.headers['content-encoding']));
  const revalidated = await request('GET', '/', { 'Accept-Encoding': 'gzip, deflate, br', 'If-None-Match': br.headers.etag });
  check('index.html answers 304 to its ETag', revalidated.status === 304 && revalidated.body.length === 0,
    String(revalidated.status));

  // The hashed files the page names.
  const assets = [...plain.body.toString().matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  check('index.html names its hashed scripts and styles', assets.length >= 2, assets.join(' '));
  for (const asset of assets) {
    const identity = await request('GET', asset);
    const res = await request('GET', asset, { 'Accept-Encoding': 'br, gzip' });
    check(`${asset} is cached immutable for a year`,
      res.headers['cache-control'] === 'public, max-age=31536000, immutable', String(res.headers['cache-control']));
    check(`${asset} is sent brotli-compressed, smaller, and the same once decompressed`,
      res.headers['content-encoding'] === 'br' && res.body.length < identity.body.length
        && brotliDecompressSync(res.body).equals(identity.body),
      `${res.headers['content-encoding']} ${res.body.length} of ${identity.body.length}`);
    const head = await request('HEAD', asset, { 'Accept-Encoding': 'br, gzip' });
    check(`HEAD ${asset} says the length of the same GET, without a body`,
      head.status === 200 && head.body.length === 0 && Number(head.headers['content-length']) === res.body.length
        && head.headers['content-encoding'] === 'br');
  }
  const missing = await request('GET', '/assets/index-0ld8uild.js');
  check('a hashed file of an earlier build is 404, not the app', missing.status === 404, String(missing.status));
  const me = await request('GET', '/api/me', { 'Accept-Encoding': 'br, gzip' });
  check('API answers stay uncached', me.headers['cache-control'] === 'no-store', String(me.headers['cache-control']));

  // Which chunks pages fetch: ECharts only where there is a chart.
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const login = await context.request.post(base + '/api/login', { data: { username: 'admin', password: 'jingzhun-demo' } });
  check('admin logs in', login.ok(), String(login.status()));
  const page = await context.newPage();
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(base + '/households');
  await page.waitForSelector('[data-test=households] tbody tr', { timeout: 60000 });
  await page.waitForLoadState('networkidle');
  const scripts = fetched.filter((p) => p.startsWith('/assets/'));
  check('the household list renders with components imported on demand',
    (await page.locator('[data-test=households] tbody tr').count()) > 0);
  check('the household list loads no ECharts chunk', !scripts.some((p) => /echarts/i.test(p)), scripts.join(' '));
  check('Vue is a chunk of its own, Element Plus comes in parts (only the components used)',
    scripts.some((p) => /\/vue-[^/]+\.js$/.test(p)) && scripts.some((p) => /\/el-[a-z-]+-[^/]+\.js$/.test(p)),
    scripts.join(' '));
  // Element Plus's styles came with the components: the table has its borders and header style.
  const headerColor = await page.locator('[data-test=households] th').first().evaluate((e) => getComputedStyle(e).color);
  check('Element Plus styles apply (table header colour)', headerColor !== 'rgb(0, 0, 0)', headerColor);
  fetched.length = 0;
  await page.goto(base + '/');
  await page.waitForSelector('canvas', { timeout: 60000 });
  check('the battle map does load the ECharts chunk', fetched.some((p) => /\/assets\/echarts-[^/]+\.js$/.test(p)),
    fetched.filter((p) => p.startsWith('/assets/')).join(' '));
  await context.close();
} catch (e) {
  fail(e);
}
await finish('speed e2e');
