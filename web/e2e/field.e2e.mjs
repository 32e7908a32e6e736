// End-to-end: visits recorded offline reach the county exactly once (issue 15).
// Usage: node web/e2e/field.e2e.mjs [path/to/jingzhun]   (web/dist must be built)
// On a phone-sized page the officer opens the field page (/field), downloads a cadre's field kit,
// goes offline (the browser's network emulation), records two visits with a photo (each made small
// on the device), reloads the page offline (the service worker serves the app shell, IndexedDB the
// kit and the queue), sees 2 waiting, comes back online: both arrive once. The same uploads sent
// again (their stored client ids re-posted, and re-queued on the device) still leave one each. A
// visit of a household changed meanwhile is shown as a conflict and recorded only when the user
// says so. 390 px and print.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { root, startDemo, shots } from './harness.mjs';

const jingzhun = path.resolve(process.argv[2] ?? path.join(root, 'build/jingzhun'));
const { base, browser, db, check, fail, login, finish, getJson } = await startDemo(process.argv[2], 'jz-e2e-field-');
const township = '540425100';

// A real PNG (w×h, RGB, a gradient) the browser can decode.
function png(w, h, seed = 0) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const rows = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) row.set([(x * 7 + seed) & 255, (y * 5) & 255, (x + y + seed * 3) & 255], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// A cadre of the township paired with three of its households (through the CLI on the served
// database: the pairing routes are another page's).
function cli(...args) {
  return execFileSync(jingzhun, [...args, '--db', db, '--json'], { cwd: root, encoding: 'utf8' });
}
function cadreWithHouseholds(codes) {
  const added = JSON.parse(cli('cadre', 'add', '--name', '外业测试干部', '--unit', '县农牧局', '--rank', '3', '--township', township, '--from', '2015-01-01'));
  const id = added.id ?? added.cadre?.id;
  for (const code of codes) cli('pairing', 'set', code, '--cadre', String(id), '--reason', '外业测试', '--allow-over-quota');
  return id;
}

const countOf = (visits, ids) => ids.map((id) => visits.filter((v) => v.client_id === id).length);

try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  await context.grantPermissions(['geolocation'], { origin: base });
  await context.setGeolocation({ latitude: 28.661234, longitude: 97.465678, accuracy: 20 });
  const page = await login(context, 'admin');
  const list = await getJson(context, `/api/households?division=${township}&status=0&page_size=20`);  // not exited: they take a new cadre
  const codes = list.items.slice(5, 8).map((h) => h.household_code);
  const cadre = cadreWithHouseholds(codes);
  check('a cadre paired with three households', Number.isInteger(cadre) && cadre > 0, String(cadre));

  // The uploads, as the page sends them.
  const posted = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/visits') posted.push(JSON.parse(r.postData() ?? '{}'));
  });

  await page.goto(`${base}/field?cadre=${cadre}`);
  await page.locator('[data-test=field-page]').waitFor();
  await page.locator('[data-test=shell-ready]').waitFor({ timeout: 60000 });
  check('the service worker controls the page (the app shell is kept)', await page.evaluate(() => !!navigator.serviceWorker.controller));
  // The cadre (?cadre=, as a link from the household page gives it; remembered on the device), then
  // the kit downloaded (again, by hand: the page fetched it once already).
  await page.locator('[data-test=kit-info]').waitFor();
  check('the cadre is remembered on the device', (await page.evaluate(() => localStorage.getItem('jingzhun.field.cadre'))) === String(cadre));
  await page.locator('[data-test=download-kit]').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-test=kit-household]').length === n, codes.length);
  check('the kit shows the cadre\'s three households', (await page.locator('[data-test=kit-household]').count()) === 3);

  // Offline: two visits, each with a photo.
  await context.setOffline(true);
  await page.locator('[data-test=net-state]', { hasText: '离线' }).waitFor();
  check('the page knows it is offline', true);
  for (let i = 0; i < 2; i++) {
    await page.locator(`[data-test=kit-household][data-code="${codes[i]}"] [data-test=record-visit]`).click();
    await page.locator('[data-test=visit-form]').waitFor();
    await page.locator('textarea[data-test=visit-discussed], [data-test=visit-discussed] textarea').fill(`第${i + 1}次离线走访：了解种植收入`);
    await page.locator('textarea[data-test=visit-done], [data-test=visit-done] textarea').fill('协调技术员');
    await page.locator('[data-test=visit-photo]').setInputFiles({ name: `photo-${i}.png`, mimeType: 'image/png', buffer: png(2400, 1800, i) });
    await page.locator('[data-test=photo-preview]').waitFor();
    await page.locator('[data-test=place-text]', { hasText: '28.66' }).waitFor();
    await page.locator('[data-test=save-visit]').click();
    await page.locator('[data-test=visit-form]').waitFor({ state: 'detached' });
  }
  check('2 visits wait to upload', (await page.locator('[data-test=waiting-count]').textContent()).trim() === '2');
  check('nothing was sent while offline', posted.length === 0, String(posted.length));

  // Reload offline: the service worker serves the shell, IndexedDB the kit and the queue.
  await page.reload();
  await page.locator('[data-test=field-page]').waitFor({ timeout: 30000 });
  await page.locator('[data-test=kit-household]').first().waitFor();
  check('offline, the reloaded page shows 2 waiting', (await page.locator('[data-test=waiting-count]').textContent()).trim() === '2');
  check('offline, the reloaded page shows the kit', (await page.locator('[data-test=kit-household]').count()) === 3);
  check('offline, the page says so', (await page.locator('[data-test=net-state]').textContent()).includes('离线'));
  await page.screenshot({ path: path.join(shots, 'field-offline-390.png'), fullPage: true });

  // Online: both arrive, once.
  await context.setOffline(false);
  await page.waitForFunction(() => document.querySelector('[data-test=waiting-count]')?.textContent?.trim() === '0', null, { timeout: 30000 });
  const ids = [...new Set(posted.map((b) => b.client_id))];
  check('the two visits were uploaded with two client ids', ids.length === 2, JSON.stringify(ids));
  let visits = (await getJson(context, `/api/visits?cadre=${cadre}&limit=500`)).visits;
  check('both visits arrived once', JSON.stringify(countOf(visits, ids)) === '[1,1]', JSON.stringify(countOf(visits, ids)));
  const mine = visits.filter((v) => ids.includes(v.client_id));
  check('each arrived with its photo as a JPEG made on the device', mine.every((v) => v.photo === 'jpeg' && v.photo_bytes > 0 && v.photo_bytes < 2 * 1024 * 1024), JSON.stringify(mine.map((v) => [v.photo, v.photo_bytes])));
  check('each arrived with its place', mine.every((v) => v.place && v.place.lat_e6 === 28661234), JSON.stringify(mine.map((v) => v.place)));
  const photo = await context.request.get(`${base}/api/visits/${mine[0].id}/photo`);
  const bytes = await photo.body();
  check('the photo is served as image/jpeg, at most 1600 px', photo.headers()['content-type'] === 'image/jpeg' && bytes[0] === 0xff && bytes[1] === 0xd8);
  const size = await page.evaluate(async (url) => {
    const b = await createImageBitmap(await (await fetch(url)).blob());
    return [b.width, b.height];
  }, `/api/visits/${mine[0].id}/photo`);
  check('the photo was made small on the device (2400×1800 → 1600×1200)', size[0] === 1600 && size[1] === 1200, JSON.stringify(size));

  // The same uploads again: as they were sent (their client ids), then re-queued on the device.
  const firstBodies = ids.map((id) => posted.find((b) => b.client_id === id));
  for (const body of firstBodies) {
    const res = await context.request.post(`${base}/api/visits`, { data: body });
    const answer = await res.json();
    check(`the same upload again answers 200, not inserted (${body.client_id.slice(0, 8)})`, res.status() === 200 && answer.inserted === false, `${res.status()} ${JSON.stringify(answer).slice(0, 200)}`);
  }
  await page.evaluate(async (bodies) => {
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open('jingzhun-field');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const tx = db.transaction('queue', 'readwrite');
    bodies.forEach((b, i) => tx.objectStore('queue').put({
      client_id: b.client_id, household_code: b.household_code, cadre_id: b.cadre_id, date: b.date, discussed: b.discussed, done: b.done,
      place: b.place ?? null, photo: b.photo ?? null, household_version: b.household_version ?? null, confirm_changed: false,
      state: 'waiting', created_at: Date.now() + i, attempts: 0, error: null, household_now: null,
    }));
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
  }, firstBodies);
  const before = posted.length;
  await page.reload();
  await page.locator('[data-test=field-page]').waitFor();
  // The count reads 0 before the page has read its queue: wait for the uploads themselves, then
  // for the queue to be empty.
  for (let waited = 0; posted.length - before < 2 && waited < 30000; waited += 200) await page.waitForTimeout(200);
  await page.waitForFunction(() => document.querySelector('[data-test=waiting-count]')?.textContent?.trim() === '0', null, { timeout: 30000 });
  check('the re-queued visits were uploaded again', posted.length - before === 2, String(posted.length - before));
  visits = (await getJson(context, `/api/visits?cadre=${cadre}&limit=500`)).visits;
  check('after the retries, still once each', JSON.stringify(countOf(visits, ids)) === '[1,1]', JSON.stringify(countOf(visits, ids)));

  // A conflict: the household changes while a visit waits offline; shown, recorded only when said.
  await context.setOffline(true);
  await page.locator('[data-test=net-state]', { hasText: '离线' }).waitFor();
  await page.locator(`[data-test=kit-household][data-code="${codes[2]}"] [data-test=record-visit]`).click();
  await page.locator('textarea[data-test=visit-discussed], [data-test=visit-discussed] textarea').fill('户信息变更后的走访');
  await page.locator('[data-test=save-visit]').click();
  await page.locator('[data-test=visit-form]').waitFor({ state: 'detached' });
  const other = await browser.newContext();
  const office = await login(other, 'admin');
  const res = await other.request.get(`${base}/api/households/${codes[2]}`);
  const h = await res.json();
  delete h.version;
  h.phone = '13800000016';
  const put = await other.request.put(`${base}/api/households/${codes[2]}`, { data: h, headers: { 'If-Match': res.headers().etag } });
  check('meanwhile the office changes the household', put.status() === 200, String(put.status()));
  await office.close();
  await other.close();
  await context.setOffline(false);
  await page.locator('[data-test=conflict]').waitFor({ timeout: 30000 });
  check('the conflict is shown with the household now', (await page.locator('[data-test=conflict]').textContent()).includes(codes[2]));
  const conflictId = posted[posted.length - 1].client_id;
  visits = (await getJson(context, `/api/visits?household=${codes[2]}&limit=500`)).visits;
  check('the conflicting visit is not recorded by itself', countOf(visits, [conflictId])[0] === 0);
  await page.screenshot({ path: path.join(shots, 'field-conflict-390.png'), fullPage: true });
  await page.locator('[data-test=confirm-anyway]').click();
  await page.locator('[data-test=conflict]').waitFor({ state: 'detached', timeout: 30000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-test=queued-visit]').length === 0, null, { timeout: 30000 });
  visits = (await getJson(context, `/api/visits?household=${codes[2]}&limit=500`)).visits;
  check('recorded anyway: once', countOf(visits, [conflictId])[0] === 1);

  // Phone width and print.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check('at 390 px the field page does not scroll sideways', overflow <= 1, String(overflow));
  await page.emulateMedia({ media: 'print' });
  check('print hides the buttons', !(await page.locator('[data-test=download-kit]').isVisible()));
  // (no page.pdf here: printing a page its service worker controls hung Chromium's printToPDF in a
  // CI run; the print styles are checked above with the print media)
  await page.emulateMedia({ media: 'screen' });
} catch (e) {
  fail(e);
}
await finish('field e2e');
