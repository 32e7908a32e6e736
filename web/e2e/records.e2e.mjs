// End-to-end: records read like records. On the demo county, in Chromium: a cancelled household
// edit never reaches the server; the read sheet has no disabled inputs; the history names fields in
// Chinese with old → new values and Beijing time; the users page's switch means "active";
// incidence without a population is unknown; the household page fits 390 px; print hides the nav.
// Usage: node web/e2e/records.e2e.mjs [path/to/jingzhun]   (web/dist must be built)
import path from 'node:path';
import { startDemo, shots } from './harness.mjs';

const { base, browser, check, fail, login, finish } = await startDemo(process.argv[2], 'jz-records-');
const inputOf = (page, id) => page.locator(`input[data-test=${id}], [data-test=${id}] input`).first();
// "YYYY-MM-DD HH:MM" of an ISO time (or SQLite's bare UTC) in UTC+8.
const beijing = (iso) => {
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : iso.replace(' ', 'T') + 'Z');
  return new Date(d.getTime() + 8 * 3600e3).toISOString().slice(0, 16).replace('T', ' ');
};

try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const page = await login(context, 'admin');
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const api = async (p) => (await context.request.get(base + p)).json();

  // A household of the demo county.
  const list = await api('/api/households?division=540425100&page_size=5');
  const code = list.items[0].household_code;
  const before = await api('/api/households/' + code);

  // Read mode: a sheet of labels and values; no input at all, let alone a disabled one.
  await page.goto(base + '/households/' + code);
  await page.waitForSelector('[data-test=sheet]');
  const disabled = await page.locator('input:disabled, textarea:disabled, .is-disabled').count();
  check('the read sheet has no disabled inputs', disabled === 0, String(disabled));
  check('the read sheet has no inputs', (await page.locator('[data-test=sheet] input, [data-test=members] input').count()) === 0);
  const status = await page.innerText('[data-test=sheet-status] dd');
  check('the sheet names the status, not its code', status.length > 0 && !/^\d+$/.test(status), status);
  check('the sheet names the main cause', !/^\d+$/.test(await page.innerText('[data-test=sheet-main_cause] dd')));
  await page.screenshot({ path: path.join(shots, 'household-sheet.png'), fullPage: true });

  // Edit the income, cancel: the page shows the stored value again, and so does the next edit.
  const income = before.net_income_per_head ?? '';
  const changedIncome = income === '12345.67' ? '12345.68' : '12345.67';
  await page.click('[data-test=edit]');
  await inputOf(page, 'income').fill(changedIncome);
  await page.click('[data-test=cancel]');
  await page.waitForSelector('[data-test=sheet]');
  const shownIncome = await page.innerText('[data-test=sheet-net_income_per_head] dd');
  check('Cancel shows the stored income again', !shownIncome.includes(changedIncome) && (income === '' || shownIncome.includes(income)), shownIncome);
  await page.click('[data-test=edit]');
  check('the next edit starts from the stored income', (await inputOf(page, 'income').inputValue()) === income);
  // Another field, saved.
  const phone = before.phone === '13912345678' ? '13912345679' : '13912345678';
  await inputOf(page, 'phone').fill(phone);
  await page.click('[data-test=save]');
  await page.waitForSelector('[data-test=edit]', { timeout: 10000 });
  const after = await api('/api/households/' + code);
  check('the cancelled income never reached the server', (after.net_income_per_head ?? '') === income, `${after.net_income_per_head} vs ${income}`);
  check('the saved field reached the server', after.phone === phone, after.phone);
  check('no DataCloneError (or other error) in the console', !errors.some((e) => /DataCloneError|could not be cloned/.test(e)), errors.join(' | '));

  // History: Chinese field names, old → new, the actor, Beijing time.
  const history = await page.innerText('[data-test=history]');
  check('the history names the changed field in Chinese', history.includes('联系电话'), history.slice(0, 300));
  check('the history shows old → new values', history.includes(`→ ${phone}`), history.slice(0, 300));
  check('the history names the actor', (await page.locator('[data-test=history-actor]').first().innerText()) === 'admin');
  const entries = (await api(`/api/households/${code}/history`)).items;
  const last = entries[entries.length - 1];
  check('the history shows the time in Beijing time (UTC+8)', history.includes(beijing(last.at)), `${last.at} → ${beijing(last.at)}`);
  check('the history shows no raw field key', !/net_income_per_head|pairing_cadre|\bphone\b/.test(history));
  await page.screenshot({ path: path.join(shots, 'household-history.png'), fullPage: true });

  // Print (emulated): nav and buttons hidden, a title with the household and the date, one A4 page.
  await page.emulateMedia({ media: 'print' });
  check('print hides the navigation', !(await page.locator('[data-test=nav]').isVisible()));
  check('print hides the buttons', !(await page.locator('[data-test=edit]').isVisible()) && !(await page.locator('[data-test=print]').isVisible()));
  const title = await page.locator('[data-test=print-title]');
  const titleText = (await title.isVisible()) ? await title.innerText() : '';
  check('print shows a title with the household and the date', titleText.includes(code) && /\d{4}-\d\d-\d\d/.test(titleText), titleText);
  await page.screenshot({ path: path.join(shots, 'household-print.png'), fullPage: true });
  const pdf = (await page.pdf({ format: 'A4', printBackground: false })).toString('latin1');
  const pages = (pdf.match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  check('the household prints on one A4 page', pages === 1, `${pages} pages`);
  await page.emulateMedia({ media: 'screen' });

  // Users: the column says 启用 (active) and its switch is on for active accounts; disabling asks.
  await page.goto(base + '/users');
  await page.waitForSelector('[data-test=users] tbody tr');
  const header = await page.innerText('[data-test=users] thead');
  check('the users table titles the switch column 启用, not 已停用', header.includes('启用') && !header.includes('已停用'), header);
  const sw = page.locator('[data-test=active-viewer]');
  const isOn = async () => (await sw.getAttribute('class'))?.includes('is-checked');
  const viewerState = async () => (await api('/api/users')).items.find((u) => u.username === 'viewer').disabled;
  check('an active account’s switch is on', (await viewerState()) === false && (await isOn()));
  await sw.click();
  await page.waitForSelector('.el-message-box', { timeout: 5000 });
  check('turning an account off asks first', (await page.innerText('.el-message-box')).includes('viewer'));
  await page.click('.el-message-box__btns button:not(.el-button--primary)');
  await page.waitForTimeout(300);
  check('a declined confirmation leaves the account active', (await viewerState()) === false && (await isOn()));
  await sw.click();
  await page.click('.el-message-box__btns .el-button--primary');
  await page.waitForFunction(() => !document.querySelector('[data-test=active-viewer]')?.className.includes('is-checked'), null, { timeout: 10000 });
  check('a confirmed switch-off disables the account', (await viewerState()) === true);
  await sw.click();
  await page.waitForFunction(() => document.querySelector('[data-test=active-viewer]')?.className.includes('is-checked'), null, { timeout: 10000 });
  check('switching on enables it again (no question)', (await viewerState()) === false);
  await page.screenshot({ path: path.join(shots, 'users-active.png'), fullPage: true });

  // Incidence with no population set: unknown, not 未达标, on the page and in the API.
  await page.goto(base + '/incidence?year=2017');
  await page.waitForSelector('[data-test=county-meets]');
  const meets = await page.innerText('[data-test=county-meets]');
  check('the county without a population shows unknown, not 未达标', meets.includes('无法判断') && !meets.includes('未达标'), meets);
  const inc = await api('/api/incidence?year=2017');
  check('the API says meets_threshold null when the incidence is unknown', inc.county.incidence === null && inc.county.meets_threshold === null, JSON.stringify(inc.county));
  check('no township without a population is said to fail', inc.townships.every((u) => u.incidence !== null || u.meets_threshold === null));

  // A phone (390×844): a compact header with a menu button, the household page without sideways scrolling.
  const phoneContext = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
  const p = await login(phoneContext, 'admin');
  await p.goto(base + '/households/' + code);
  await p.waitForSelector('[data-test=sheet]');
  const overflow = async () => p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check('at 390 px the household sheet does not scroll sideways', (await overflow()) <= 1, String(await overflow()));
  const headerHeight = await p.evaluate(() => document.querySelector('.header')?.getBoundingClientRect().height ?? 0);
  check('at 390 px the header is one compact line', headerHeight > 0 && headerHeight <= 64, String(headerHeight));
  check('at 390 px the menu is behind a button', (await p.locator('[data-test=menu-button]').isVisible()) && !(await p.locator('[data-test=nav]').isVisible()));
  await p.screenshot({ path: path.join(shots, 'household-phone.png'), fullPage: true });
  await p.click('[data-test=edit]');
  await inputOf(p, 'phone').waitFor();
  check('at 390 px the household edit form does not scroll sideways', (await overflow()) <= 1, String(await overflow()));
  await p.screenshot({ path: path.join(shots, 'household-phone-edit.png'), fullPage: true });
  await p.click('[data-test=cancel]');
  await p.click('[data-test=menu-button]');
  await p.locator('[data-test=nav-drawer] .el-menu-item', { hasText: '建档立卡户' }).click();
  await p.waitForURL(/\/households$|\/households\?/);
  check('the drawer’s menu navigates', new URL(p.url()).pathname === '/households');
} catch (e) {
  fail(e);
}
await finish('records e2e');
