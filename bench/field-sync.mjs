// Offline visit sync at size (issue 15): 200 visits with photos queued on a phone arrive at the
// server exactly once, through a link that loses answers and drops out.
//
// Usage: node bench/field-sync.mjs [build/jingzhun] [--visits 200] [--lose-every 10]
//                                  [--drop-after 85] [--photo-px 1600]
//
// Serves the demo county (web/dist as the workbench), pairs a new cadre with 10 households of a
// township (CLI), logs in in Debian's Chromium (390×844), opens /field and downloads the cadre's kit,
// goes offline, and queues N visits in the page's IndexedDB, each with its own client id and a
// JPEG made in the page with a canvas (photo-px × ¾ of it, random 8-px blocks so it does not
// compress away: ~150 KB each at 1600 px, what the page's downsizing gives a phone photo). Then it comes back
// online by reloading the page (the field page uploads on load) while the link misbehaves:
//   - every k-th upload (--lose-every) reaches the server but its answer is lost (the request is
//     sent, the server records it, the page sees a network error): the next try sends the same
//     client id and must get 200 "inserted": false;
//   - after --drop-after uploads the browser goes offline for 3 s (the page's retry with backoff
//     and the online event resume it).
// Finally every visit of the cadre is read back (GET /api/visits): each client id must be there
// exactly once, and none else. Prints a summary and one JSON line (the last) for scripts; exits 1
// when a visit is missing or doubled.
import { execFileSync } from 'node:child_process';
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
  return Number(v);
};
const N = option('visits', 200);
const loseEvery = option('lose-every', 10);
const dropAfter = option('drop-after', 85);
const photoPx = option('photo-px', 1600);
const jingzhun = path.resolve(args[0] ?? path.join(root, 'build/jingzhun'));
const township = '540425100';

const { base, server, db, tmp } = await serveDemo(jingzhun, 'jz-bench-field-');
const browser = await launchChromium();
let exitCode = 0;
try {
  const cli = (...a) => execFileSync(jingzhun, [...a, '--db', db, '--json'], { cwd: root, encoding: 'utf8' });
  // No service worker here (the e2e covers the offline reload): Playwright's routing, which plays
  // the lossy link, does not see the requests of a page a service worker controls.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: 'block' });
  const login = await context.request.post(`${base}/api/login`, { data: { username: 'admin', password: 'jingzhun-demo' } });
  if (!login.ok()) throw new Error('login: ' + login.status());
  const list = await (await context.request.get(`${base}/api/households?division=${township}&status=0&page_size=20`)).json();
  const codes = list.items.slice(0, 10).map((h) => h.household_code);
  const added = JSON.parse(cli('cadre', 'add', '--name', '同步测量干部', '--unit', '县扶贫办', '--rank', '3', '--township', township, '--from', '2015-01-01'));
  const cadre = added.id ?? added.cadre?.id;
  for (const code of codes) cli('pairing', 'set', code, '--cadre', String(cadre), '--reason', '同步测量', '--allow-over-quota');

  const page = await context.newPage();
  await page.goto(`${base}/field?cadre=${cadre}`);
  await page.waitForFunction((n) => document.querySelectorAll('[data-test=kit-household]').length === n, codes.length, { timeout: 60000 });
  const kit = await (await context.request.get(`${base}/api/field/kit?cadre=${cadre}`)).json();
  const versions = Object.fromEntries(kit.households.map((h) => [h.household_code, h.version]));

  // Offline: N visits queued in the page's storage, each with a photo made in the page.
  await context.setOffline(true);
  const t0 = Date.now();
  const queued = await page.evaluate(async ({ n, codes, versions, cadre, px }) => {
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open('jingzhun-field');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const canvas = document.createElement('canvas');
    canvas.width = px;
    canvas.height = Math.round((px * 3) / 4);
    const ctx = canvas.getContext('2d');
    let bytes = 0;
    const ids = [];
    for (let i = 0; i < n; i++) {
      // Coarse random blocks: a photo-like JPEG size, not a 6 MB noise file.
      for (let y = 0; y < canvas.height; y += 8)
        for (let x = 0; x < canvas.width; x += 8) {
          ctx.fillStyle = `rgb(${(Math.random() * 255) | 0},${(Math.random() * 255) | 0},${(x + y + i) & 255})`;
          ctx.fillRect(x, y, 8, 8);
        }
      const blob = await new Promise((r) => canvas.toBlob(r, 'image/jpeg', 0.7));
      const b64 = await new Promise((r) => {
        const f = new FileReader();
        f.onload = () => r(String(f.result).split(',')[1]);
        f.readAsDataURL(blob);
      });
      bytes += blob.size;
      const code = codes[i % codes.length];
      const id = crypto.randomUUID();
      ids.push(id);
      await new Promise((resolve, reject) => {
        const tx = db.transaction('queue', 'readwrite');
        tx.objectStore('queue').put({
          client_id: id, household_code: code, cadre_id: cadre, date: '2017-05-' + String(1 + (i % 28)).padStart(2, '0'),
          discussed: `第${i + 1}次走访`, done: '', place: { lat: 28.66 + i / 1e5, lon: 97.46, accuracy: 20 }, photo: b64,
          household_version: versions[code], confirm_changed: false, state: 'waiting', created_at: Date.now() + i, attempts: 0,
          error: null, household_now: null,
        });
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
    }
    db.close();
    return { ids, bytes };
  }, { n: N, codes, versions, cadre, px: photoPx });
  const queueMs = Date.now() - t0;

  // Online, through a link that loses every k-th answer and drops out once.
  let uploads = 0, lost = 0, answered200 = 0, answered201 = 0, dropped = false;
  const sent = new Map();
  await page.route('**/api/visits', async (route) => {
    const request = route.request();
    if (request.method() !== 'POST') return route.continue();
    uploads++;
    const id = JSON.parse(request.postData()).client_id;
    sent.set(id, (sent.get(id) ?? 0) + 1);
    const response = await route.fetch();
    if (response.status() === 200) answered200++;
    if (response.status() === 201) answered201++;
    if (loseEvery > 0 && uploads % loseEvery === 0) {
      lost++;
      return route.abort('connectionreset');  // recorded, but the page never hears it
    }
    if (!dropped && uploads === dropAfter) {
      dropped = true;
      await route.fulfill({ response });
      await context.setOffline(true);
      setTimeout(() => void context.setOffline(false), 3000);
      return;
    }
    return route.fulfill({ response });
  });
  await context.setOffline(false);
  const t1 = Date.now();
  await page.reload();
  // Until the server has recorded every visit (a 201 each) and the page's queue is empty.
  while (answered201 < N && Date.now() - t1 < 600000) await new Promise((r) => setTimeout(r, 100));
  await page.waitForFunction(() => document.querySelector('[data-test=waiting-count]')?.textContent?.trim() === '0' &&
    document.querySelectorAll('[data-test=queued-visit]').length === 0, null, { timeout: 600000, polling: 250 });
  const syncMs = Date.now() - t1;

  // Read back: every client id once, nothing else.
  const visits = [];
  for (let before = 0; ;) {
    const r = await (await context.request.get(`${base}/api/visits?cadre=${cadre}&limit=500${before ? '&before=' + before : ''}`)).json();
    visits.push(...r.visits);
    if (r.next_before === null) break;
    before = r.next_before;
  }
  const counts = new Map();
  for (const v of visits) counts.set(v.client_id, (counts.get(v.client_id) ?? 0) + 1);
  const missing = queued.ids.filter((id) => !counts.has(id)).length;
  const doubled = [...counts.values()].filter((c) => c > 1).length;
  const extra = [...counts.keys()].filter((id) => !queued.ids.includes(id)).length;
  const withPhoto = visits.filter((v) => v.photo === 'jpeg').length;
  const resent = [...sent.values()].filter((c) => c > 1).length;
  const ok = visits.length === N && missing === 0 && doubled === 0 && extra === 0 && withPhoto === N;
  if (!ok) exitCode = 1;
  const result = {
    visits: N, photo_px: photoPx, photo_mb_total: +(queued.bytes / 1048576).toFixed(1),
    queue_ms: queueMs, sync_ms: syncMs, uploads, answers_lost: lost, answered_201: answered201, answered_200_retry: answered200,
    resent_client_ids: resent, dropped_offline: dropped, recorded: visits.length, missing, doubled, extra, with_photo: withPhoto, all_once: ok,
  };
  console.log(`${N} visits, ${result.photo_mb_total} MB of photos queued offline in ${queueMs} ms`);
  console.log(`uploaded in ${syncMs} ms: ${uploads} POSTs, ${lost} answers lost, ${answered201} new, ${answered200} retries answered 200, ${resent} client ids sent more than once${dropped ? ', one 3 s drop-out' : ''}`);
  console.log(`server: ${visits.length} visits, missing ${missing}, doubled ${doubled}, extra ${extra}, with photo ${withPhoto} → ${ok ? 'all arrived once' : 'FAILED'}`);
  console.log(JSON.stringify(result));
} catch (e) {
  console.log('FAIL ' + (e?.stack ?? e));
  exitCode = 1;
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(exitCode);
