// End-to-end: the real server on the demo county, driven in Debian's Chromium by playwright-core.
// Usage: node e2e/run.mjs [path/to/jingzhun]   (default ../build/jingzhun; web/dist must be built)
// Saves a screenshot of each page to build/screenshots/ (scripts/screenshots: docs/screenshots/) and
// prints the dashboard's first render.
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { startDemo, shots } from './harness.mjs';

const { base, browser, tmp, check, fail, login, finish } = await startDemo(process.argv[2], 'jz-e2e-');

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  // A refused login is said in words.
  {
    const page = await context.newPage();
    await page.goto(base + '/login');
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', 'wrong-password');
    await page.click('button[type=submit]');
    const text = await page.locator('[data-test=login-error]').innerText({ timeout: 10000 });
    check('a wrong password is refused in words', text.includes('用户名或密码错误'), text);
    await page.close();
  }

  const page = await login(context, 'admin');
  // The battle map: the goal, the township bars and table.
  await page.waitForSelector('[data-test=goal]');
  await page.waitForFunction(() => window.__jzDashboardMs !== undefined, null, { timeout: 20000 });
  const ms = await page.evaluate(() => window.__jzDashboardMs);
  console.log(`dashboard first render (demo county): ${ms.toFixed(0)} ms`);
  const goal = await page.innerText('[data-test=goal]');
  check('the dashboard shows the goal of 6,160 people', goal.includes('6,160'), goal);
  check('the township chart is drawn', (await page.locator('[data-test=children-chart] canvas').count()) > 0);
  const townships = await page.locator('[data-test=child]').count();
  check('the map lists the townships', townships >= 6, String(townships));
  await page.screenshot({ path: path.join(shots, 'battle-map.png'), fullPage: true });

  // Drill into a township.
  await page.locator('[data-test=child-link]').first().click();
  await page.waitForURL(/unit=\d{9}(&|$)/);
  await page.waitForFunction(() => document.querySelectorAll('[data-test=child][data-code$="201"]').length > 0);
  check('a township drills into its villages', (await page.locator('[data-test=child]').count()) > 0);
  await page.screenshot({ path: path.join(shots, 'township-villages.png'), fullPage: true });

  // Filter households.
  await page.goto(base + '/households?division=540425100&status=0');
  await page.waitForSelector('[data-test=households] tbody tr');
  const rows = await page.locator('[data-test=households] tbody tr').count();
  check('the filtered household list has rows', rows > 0, String(rows));
  const villages = await page.locator('[data-test=households] tbody tr td:nth-child(4)').allInnerTexts();
  check('filtered rows are unexited', (await page.locator('[data-test=households] tbody tr td:nth-child(8)').allInnerTexts()).every((s) => s.includes('未脱贫')));
  await page.screenshot({ path: path.join(shots, 'households.png'), fullPage: true });
  void villages;

  // Open one; enter an invalid ID number and see the field error; fix it and save.
  await page.locator('[data-test=households] tbody tr a').first().click();
  await page.waitForSelector('[data-test=members] tbody tr');
  const original = await page.innerText('[data-test=id-text-0]');
  await page.click('[data-test=edit]');
  const input = page.locator('input[data-test=id-0], [data-test=id-0] input');
  const bad = original.slice(0, 17) + (original[17] === '0' ? '1' : '0');
  await input.fill(bad);
  await page.click('[data-test=save]');
  // The error's element is there (empty) before the answer comes: wait for its words.
  await page.waitForFunction(() => document.querySelector('[data-test=id-error-0]')?.textContent?.trim(), null, { timeout: 30000 });
  const reason = await page.locator('[data-test=id-error-0]').innerText();
  check('an invalid ID number shows the field error, in Chinese only', /[\u4e00-\u9fff]/.test(reason) && !/ \/ [A-Za-z]/.test(reason), reason);
  await page.screenshot({ path: path.join(shots, 'household-field-error.png'), fullPage: true });
  await input.fill(original);
  await page.locator('[data-test=members] input').first().fill('改名测试');
  await page.click('[data-test=save]');
  await page.waitForSelector('[data-test=edit]', { timeout: 30000 });
  check('the fixed household saves', (await page.locator('[data-test=id-error-0]').innerText()) === '');
  check('the change is in the history', (await page.innerText('[data-test=history]')).includes('admin'));
  await page.screenshot({ path: path.join(shots, 'household.png'), fullPage: true });
  const code = new URL(page.url()).pathname.split('/').pop();

  // Data quality and users.
  await page.goto(base + '/quality');
  await page.waitForSelector('[data-test=reconcile] tbody tr', { timeout: 30000 });
  check('reconciliation shows the plan’s own 2,364 / 2,365', (await page.innerText('[data-test=reconcile]')).includes('2,364'));
  await page.screenshot({ path: path.join(shots, 'quality.png'), fullPage: true });
  await page.goto(base + '/users');
  await page.waitForSelector('[data-test=users] tbody tr');
  await page.screenshot({ path: path.join(shots, 'users.png'), fullPage: true });

  // A viewer sees masked ID numbers and no edit button.
  const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const viewer = await login(viewerContext, 'viewer');
  await viewer.goto(base + '/households/' + code);
  await viewer.waitForSelector('[data-test=members] tbody tr');
  const masked = await viewer.innerText('[data-test=id-text-0]');
  // Only the address code: the birth date and sequence digits stay hidden (docs/security.md).
  check('a viewer sees masked ID numbers', /^\d{6}\*{12}$/.test(masked), masked);
  check('a viewer sees no birth date', !/\b(19|20)\d\d-\d\d-\d\d\b/.test(await viewer.innerText('[data-test=members]')));
  check('a viewer has no edit button', (await viewer.locator('[data-test=edit]').count()) === 0);
  await viewer.screenshot({ path: path.join(shots, 'viewer-household.png'), fullPage: true });

  // Import a file with a bad household and download its error file (the officer of 540425100).
  const officerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const officer = await login(officerContext, 'officer');
  const csv = await (await officerContext.request.get(base + '/api/exports/registry.csv?division=540425100001')).text();
  const lines = csv.trimEnd().split('\n');
  const cells = lines[1].split(',');
  cells[0] = '5404251000019990';  // a new household holding a registered person: 一人多户
  const file = path.join(tmp, 'village.csv');
  writeFileSync(file, [lines[0], ...lines.slice(1), cells.join(',')].join('\n') + '\n');
  await officer.goto(base + '/import');
  await officer.setInputFiles('[data-test=file]', file);
  await officer.click('[data-test=upload]');
  await officer.waitForSelector('[data-test=summary]', { timeout: 30000 });
  check('the import rejects the bad households', Number(await officer.innerText('[data-test=rejected]')) >= 1);
  const href = await officer.getAttribute('[data-test=errors-link]', 'href');
  const errors = await officerContext.request.get(base + href);
  check('the error file downloads', errors.ok() && (await errors.text()).includes('5404251000019990'));
  await officer.screenshot({ path: path.join(shots, 'import.png'), fullPage: true });

  // A tablet: the dashboard at 768 wide.
  const tablet = await browser.newContext({ viewport: { width: 768, height: 1024 } });
  const t = await login(tablet, 'inspector');
  await t.waitForSelector('[data-test=goal]');
  await t.waitForFunction(() => window.__jzDashboardMs !== undefined, null, { timeout: 20000 });
  const overflow = await t.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check('the dashboard fits a 768-wide tablet', overflow <= 1, String(overflow));
  await t.screenshot({ path: path.join(shots, 'battle-map-tablet.png'), fullPage: true });
} catch (e) {
  fail(e);
}
await finish('e2e');
