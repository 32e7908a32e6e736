// End-to-end: the battle map answers "are we on schedule?" for the user's own org unit.
// Usage: node web/e2e/map.e2e.mjs [path/to/jingzhun]   (web/dist must be built)
// A township officer sees the township's goal and percent (not the county's 6,160); the county's
// map rates each township red/amber/green; drill-down and the date live in the URL (Back works);
// one summary request per view; 390×844 shows stacked cards; print keeps the title, drops controls.
import path from 'node:path';
import { startDemo, shots } from './harness.mjs';

const { base, browser, check, fail, login, finish } = await startDemo(process.argv[2], 'jz-e2e-map-');
const statuses = new Set(['green', 'amber', 'red', 'none']);
const fmt = (n) => n.toLocaleString('zh-CN');

try {
  // ---------------------------------------------------------------- the township officer, first load
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const requests = [];
  context.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/')) requests.push(u.pathname + u.search);
  });
  const page = await login(context, 'officer');
  await page.waitForSelector('[data-test=goal]');
  await page.waitForFunction(() => window.__jzDashboardMs !== undefined, null, { timeout: 20000 });
  await page.waitForFunction(() => new URL(location.href).searchParams.get('as_of'), null, { timeout: 10000 });
  const url = new URL(page.url());
  check('the date is in the URL: the demo registry\'s date (today is outside the plan)', url.searchParams.get('as_of') === '2017-06-30', page.url());
  check('the unit is in the URL: the officer\'s township', url.searchParams.get('unit') === '540425100', page.url());

  const summary = await (await context.request.get(base + '/api/reports/summary?unit=540425100&as_of=2017-06-30')).json();
  const goal = await page.innerText('[data-test=goal]');
  check('the officer\'s goal is the township\'s own (611), not the county\'s 6,160', goal.includes(fmt(summary.unit.goal_persons)) && summary.unit.goal_persons === 611 && !goal.includes('6,160'), goal);
  const percent = await page.innerText('[data-test=percent]');
  const expected = Math.round((1000 * summary.unit.exited_persons) / summary.unit.goal_persons) / 10;
  check('the percent is exited over the township\'s goal (about 61 %)', percent.includes(String(expected)) && expected > 50, `${percent} vs ${expected}`);
  const title = await page.innerText('[data-test=map-title]');
  check('the title names the township and the date', title.includes('竹瓦根镇') && title.includes('2017-06-30'), title);
  check('this year\'s task is the township\'s', (await page.innerText('[data-test=task]')).trim() === fmt(241));
  check('days left are shown', (await page.innerText('[data-test=days-left]')).trim() === '184');
  check('exited and remaining are shown', (await page.innerText('[data-test=remaining]')).trim() === fmt(summary.unit.remaining_this_year));
  check('overdue and due-this-year link to the household list', (await page.getAttribute('[data-test=overdue]', 'href')).includes('overdue=2017') && (await page.getAttribute('[data-test=due]', 'href')).includes('planned_exit_year=2017'));
  const quality = await page.innerText('[data-test=quality-link]');
  check('the plan\'s inconsistencies are a link to data quality, with a count', quality.includes(`(${summary.reconcile_findings})`) && (await page.getAttribute('[data-test=quality-link]', 'href')) === '/quality', quality);
  check('the reconciliation is not listed on the first screen', (await page.locator('[data-test=warnings]').count()) === 0);
  const villages = await page.locator('[data-test=child]').count();
  check('the township\'s villages each have a card', villages === summary.children.length && villages > 0, `${villages}`);
  const rags = await page.locator('[data-test=child] [data-test=rag]').evaluateAll((els) => els.map((e) => e.dataset.status));
  check('each village is rated against the schedule', rags.length === villages && rags.every((s) => statuses.has(s)), rags.join());
  const measureHeads = await page.locator('[data-test=measures] thead th').allInnerTexts();
  check('the township\'s measures carry no county targets', !measureHeads.some((h) => h.includes('目标')), measureHeads.join('|'));
  const summaries = requests.filter((r) => /^\/api\/(reports|reconcile)/.test(r));
  const perVillage = requests.filter((r) => r.startsWith('/api/households'));
  check('the first load makes at most 2 summary-type requests and none per village', summaries.length <= 2 && perVillage.length === 0, requests.join(' '));
  await page.screenshot({ path: path.join(shots, 'battle-map-township.png'), fullPage: true });

  // --------------------------------------------------------------- the county: townships, drill-down
  const admin = await login(await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' }), 'admin');
  await admin.waitForSelector('[data-test=child]');
  check('the county\'s goal is the plan\'s 6,160', (await admin.innerText('[data-test=goal]')).includes('6,160'));
  const townshipRags = await admin.locator('[data-test=child] [data-test=rag]').evaluateAll((els) => els.map((e) => e.dataset.status));
  check('each township is rated red/amber/green (or none)', townshipRags.length >= 6 && townshipRags.every((s) => statuses.has(s)), townshipRags.join());
  // The chart is drawn once its lazily loaded chunk has arrived.
  const canvas = await admin.waitForSelector('[data-test=children-chart] canvas', { timeout: 20000 }).catch(() => null);
  check('the chart is drawn', canvas !== null);
  const countyHeads = await admin.locator('[data-test=measures] thead th').count();
  check('the county\'s measures show the plan\'s targets beside planned, reached and beneficiaries', countyHeads === 7, String(countyHeads));
  await admin.screenshot({ path: path.join(shots, 'battle-map.png'), fullPage: true });

  await admin.locator('[data-test=child-link]').first().click();
  await admin.waitForURL(/unit=540425100(&|$)/);
  await admin.waitForFunction(() => document.querySelector('[data-test=map-title]')?.textContent.includes('竹瓦根镇'));
  check('a township drills into its villages', (await admin.locator('[data-test=child]').count()) > 0);
  check('the drilled map is the township\'s (goal 611)', (await admin.innerText('[data-test=goal]')).includes('611'));
  const village = await admin.locator('[data-test=child][data-code="540425100201"] [data-test=child-link]');
  await village.click();
  await admin.waitForURL(/unit=540425100201/);
  await admin.waitForFunction(() => document.querySelector('[data-test=map-title]')?.textContent.includes('知美'));
  const villageSummary = await (await admin.context().request.get(base + '/api/reports/summary?unit=540425100201&as_of=2017-06-30')).json();
  check('a village shows its progress: task, exited, remaining',
    (await admin.innerText('[data-test=task]')).trim() === fmt(villageSummary.unit.task_persons) &&
    (await admin.innerText('[data-test=exited-year]')).trim() === fmt(villageSummary.unit.exited_this_year) &&
    (await admin.innerText('[data-test=remaining]')).trim() === fmt(villageSummary.unit.remaining_this_year));
  check('the village\'s goal says where it comes from', (await admin.innerText('[data-test=target-source]')).includes('计划脱贫年度'));
  await admin.goBack();
  await admin.waitForURL(/unit=540425100(&|$)/);
  await admin.waitForFunction(() => document.querySelector('[data-test=map-title]')?.textContent.includes('竹瓦根镇'));
  check('Back returns to the township', true);
  await admin.goBack();
  await admin.waitForURL(/unit=540425(&|$)/);
  await admin.waitForFunction(() => document.querySelector('[data-test=map-title]')?.textContent.includes('察隅县'));
  check('Back again returns to the county', true);

  // The date from the URL: the end of 2016.
  await admin.goto(base + '/?unit=540425&as_of=2016-12-31');
  await admin.waitForFunction(() => document.querySelector('[data-test=map-title]')?.textContent.includes('2016-12-31'));
  check('a date in the URL is the map\'s date (no days left on 31 Dec)', (await admin.innerText('[data-test=days-left]')).trim() === '0');
  // Earlier and later years: one click away.
  check('the years table is folded away at first', !(await admin.locator('[data-test=years-table]').isVisible()));
  await admin.locator('[data-test=years] .el-collapse-item__header').click();
  await admin.waitForSelector('[data-test=years-table]', { state: 'visible' });
  check('one click shows every year of the plan', (await admin.locator('[data-test=years-table] tbody tr').count()) === 3);

  // --------------------------------------------------------------------------------- a phone
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
  const p = await login(phone, 'officer');
  await p.waitForSelector('[data-test=child]');
  await p.waitForFunction(() => window.__jzDashboardMs !== undefined, null, { timeout: 20000 });
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check('at 390 px the map does not scroll sideways', overflow <= 1, String(overflow));
  const stacked = await p.locator('[data-test=measures] tbody tr').first().evaluate((e) => getComputedStyle(e).display);
  check('at 390 px the measures are stacked cards', stacked === 'block', stacked);
  const cardWidth = await p.locator('[data-test=child]').first().evaluate((e) => e.getBoundingClientRect().right);
  check('at 390 px the village cards fit the screen', cardWidth <= 390, String(cardWidth));
  await p.screenshot({ path: path.join(shots, 'battle-map-phone.png'), fullPage: true });

  // ----------------------------------------------------------------------------------- print
  await page.emulateMedia({ media: 'print' });
  check('print hides the navigation', !(await page.locator('.el-header').first().isVisible()));
  check('print hides the buttons and the date picker', !(await page.locator('[data-test=print]').isVisible()) && !(await page.locator('[data-test=as-of]').isVisible()));
  check('print keeps the title with unit and date', await page.locator('[data-test=map-title]').isVisible());
  check('print shows the years too', await page.locator('[data-test=years-table]').isVisible());
  const chartWidth = await page.locator('[data-test=children-chart]').evaluate((e) => e.getBoundingClientRect().width);
  check('print sizes the chart to the page', chartWidth > 0 && chartWidth <= 700, String(chartWidth));
  await page.pdf({ path: path.join(shots, 'battle-map-print.pdf'), format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
} catch (e) {
  fail(e);
}
await finish('map e2e');
