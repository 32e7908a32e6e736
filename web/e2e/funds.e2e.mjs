// End-to-end: funds, the project library and asset-income shares (issue 16) on the demo county.
// Usage: node web/e2e/funds.e2e.mjs [path/to/jingzhun]   (web/dist must be built)
// The county admin adds an allocation through the funds page (a bad amount is refused first) and
// sees the balances the API gives; a project applied for in a village is taken through its steps
// by the page's buttons (village notice, township review 10 days later) and the API (county
// appraisal, notice, approval, start); money is received, budgeted and paid to a contractor, and a
// payment beyond the stage's cap is refused; the project page shows the money, the entries with the
// payee and the household with its items; the notice prints on A4 with the posting period and
// 12317; the monthly report and the findings (the refused payment as a breach) show the API's
// figures; an asset quantified in the project's village shows its holdings, a dividend declared
// through its page shows there and on a holder's plan page, and a disposal is held back without a
// majority for and then recorded; a township officer reads without the county's buttons; 390 px
// shows every page without sideways scrolling; English words on the notice.
import path from 'node:path';
import { startDemo, shots, addDays } from './harness.mjs';

const { base, browser, check, fail, login, finish, getJson, postJson } = await startDemo(process.argv[2], 'jz-e2e-funds-');
const township = '540425100';
const stamp = String(Date.now()).slice(-6);

// "1234567.5" → "1,234,567.50" (as the pages show money; text only, no floating point).
function yuan(s) {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(s ?? '').trim());
  if (!m) return String(s);
  return `${m[1]}${m[2].replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${((m[3] ?? '') + '00').slice(0, 2)}`;
}
async function field(page, test) {
  const el = page.locator(`[data-test=${test}]`).first();
  await el.waitFor({ state: 'attached' });
  return ['INPUT', 'TEXTAREA'].includes(await el.evaluate((e) => e.tagName)) ? el : el.locator('input, textarea').first();
}
async function fillDate(page, test, date) {
  const input = await field(page, test);
  await input.fill(date);
  await input.press('Enter');
}
async function noSideways(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(`at 390 px ${what} does not scroll sideways`, overflow <= 1, String(overflow));
}
async function post(context, route, data) {
  const res = await context.request.post(base + route, { data });
  return { status: res.status(), body: await res.json().catch(() => ({})) };
}

try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  const page = await login(context, 'admin');

  // ---- Funds and balances; an allocation added through the form ----------------------------
  const sources = (await getJson(context, '/api/fund-sources')).sources;
  check('the fund sources include the special poverty funds', sources.some((s) => s.code === 'poverty_development' && s.special_poverty), JSON.stringify(sources).slice(0, 200));
  await page.goto(base + '/funds');
  await page.locator('[data-test=balances]').waitFor();
  const balances = await getJson(context, '/api/fund-balances');
  check('the funds page shows the API\'s total spent', (await page.innerText('[data-test=total-spent]')).includes(yuan(balances.totals.spent)), await page.innerText('[data-test=total-spent]'));
  const docNumber = `藏财农〔2017〕E${stamp}号`;
  await page.locator('[data-test=add-allocation]').click();
  await page.locator('[data-test=allocation-form]').waitFor();
  await page.locator('[data-test=form-source]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '(poverty_development)' }).first().click();
  await (await field(page, 'form-document')).fill(docNumber);
  await (await field(page, 'form-year')).fill('2017');
  await (await field(page, 'form-year')).press('Tab');
  await (await field(page, 'form-amount')).fill('12.345');
  await page.locator('[data-test=form-save]').click();
  await page.locator('[data-test=allocation-form] [data-test=form-error]').waitFor();
  check('the allocation form refuses an amount with three decimals before sending', (await getJson(context, '/api/allocations')).allocations.every((a) => a.document_number !== docNumber));
  await (await field(page, 'form-amount')).fill('500000.00');
  await page.locator('[data-test=form-save]').click();
  await page.locator('[data-test=allocation-form]').waitFor({ state: 'hidden' });
  const allocation = (await getJson(context, '/api/allocations')).allocations.find((a) => a.document_number === docNumber);
  check('the allocation form adds the allocation', allocation && allocation.amount === '500000.00' && allocation.source === 'poverty_development', JSON.stringify(allocation));
  await page.locator(`[data-test=allocation-${allocation?.id}]`).waitFor();
  check('the funds page lists the new allocation with its amount', (await page.innerText(`[data-test=allocation-${allocation?.id}] [data-test=amount]`)) === '500,000.00');
  await page.screenshot({ path: path.join(shots, 'funds.png'), fullPage: true });

  // ---- A project through its steps -------------------------------------------------------
  const households = (await getJson(context, `/api/households?division=${township}&status=0&page_size=5`)).items;
  const household = households[0];
  const village = household.division_code;
  const code = `E2E-${stamp}`;
  const applied = await postJson(context, '/api/projects', {
    code, name: `E2E 蔬菜大棚 ${stamp}`, division_code: village, task: '新建蔬菜大棚 2 座', subsidy_standard: '每座 5 万元', use: 'industry',
    sources: [{ source: 'poverty_development', amount: '100000.00' }], approved: '100000.00', period_start: '2017-04-01', period_end: '2017-10-31',
    unit: '竹瓦根镇人民政府', responsible: '张三', performance_target: '带动 2 户增收', beneficiaries: [{ household_code: household.household_code, how: '务工' }],
    date: '2017-03-01',
  });
  const id = applied.id ?? applied.project?.id;
  check('a project is applied for in the village', applied.state === 'applied' || applied.project?.state === 'applied', JSON.stringify(applied).slice(0, 200));

  await page.goto(`${base}/projects?q=${code}`);
  await page.locator(`[data-test=project-${code}]`).waitFor();
  check('the project library lists it as applied', (await page.innerText(`[data-test=project-${code}]`)).includes('已申报'));
  await page.locator(`[data-test=project-${code}] [data-test=project-link]`).click();
  await page.waitForURL(new RegExp(`/projects/${id}$`));
  await page.locator('[data-test=next-steps]').waitFor();
  const shown = await getJson(context, `/api/projects/${id}`);
  for (const s of shown.allowed_steps) check(`the project page offers the allowed step ${s} as a button`, (await page.locator(`[data-test=step-${s}]`).count()) === 1);
  check('the project page offers no step the state does not allow', (await page.locator('[data-test=step-approve]').count()) === 0);

  // The village notice, then the township's review: before ten days it is refused in words.
  await page.locator('[data-test=step-notice]').click();
  await page.locator('[data-test=step-form]').waitFor();
  await fillDate(page, 'step-date', '2017-03-02');
  await page.locator('[data-test=step-save]').click();
  await page.locator('[data-test=step-form]').waitFor({ state: 'hidden' });
  await page.waitForFunction(() => document.querySelector('[data-test=notice-dates]')?.textContent?.includes('2017-03-02'));
  check('the notice step shows its posting dates', (await page.innerText('[data-test=notice-dates]')).includes('2017-03-12'), await page.innerText('[data-test=notice-dates]'));
  await page.locator('[data-test=step-review]').click();
  await page.locator('[data-test=step-form]').waitFor();
  await fillDate(page, 'step-date', '2017-03-05');
  await page.locator('[data-test=step-save]').click();
  await page.locator('[data-test=step-error]').waitFor();
  check('a review before the notice ran 10 days is refused in words', /[\u4e00-\u9fff]/.test(await page.innerText('[data-test=step-error]')), await page.innerText('[data-test=step-error]'));
  await fillDate(page, 'step-date', '2017-03-12');
  await page.locator('[data-test=step-save]').click();
  await page.locator('[data-test=step-form]').waitFor({ state: 'hidden' });
  await page.waitForFunction(() => document.querySelector('[data-test=project-state]')?.getAttribute('data-state') === 'reviewed');
  check('the review by the button moves the project to reviewed', (await page.innerText('[data-test=project-state]')).includes('乡镇已审核'));

  // The county's steps through the API, dated so each notice ran ten days.
  for (const [step, date] of [['notice', '2017-03-13'], ['appraise', '2017-03-23'], ['notice', '2017-03-24'], ['approve', '2017-04-03'], ['start', '2017-04-05']])
    await postJson(context, `/api/projects/${id}/steps`, { step, date, refs: step === 'approve' ? `县扶发〔2017〕${stamp}号` : '' });

  // Money: received, budgeted, paid (40% cap once started); beyond the cap is refused.
  const payee = await postJson(context, '/api/payees', { kind: 'contractor', name: `E2E 建筑公司 ${stamp}` });
  const payeeId = payee.id ?? payee.payee?.id;
  await postJson(context, '/api/fund-entries', { entries: [
    { date: '2017-04-06', kind: 'receive', allocation: allocation.id, amount: '500000.00' },
    { date: '2017-04-07', kind: 'budget', allocation: allocation.id, project: id, amount: '100000.00', refs: `县扶发〔2017〕${stamp}号` },
    { date: '2017-04-20', kind: 'disburse', allocation: allocation.id, project: id, payee: payeeId, amount: '30000.50', stage: 'started', refs: '凭证 1' },
  ] });
  const refused = await post(context, '/api/fund-entries', { entries: [{ date: '2017-04-21', kind: 'disburse', allocation: allocation.id, project: id, payee: payeeId, amount: '20000.00', stage: 'started', refs: '凭证 2' }] });
  check('a payment beyond the started stage\'s 40% is refused', refused.status === 422 && refused.body.error?.code === 'fund.stage_beyond_acceptance', JSON.stringify(refused));

  await page.reload();
  await page.locator('[data-test=money]').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-test=project-state]')?.getAttribute('data-state') === 'started');
  check('the project page shows what was paid', (await page.innerText('[data-test=money-paid]')).includes('30,000.50'), await page.innerText('[data-test=money-paid]'));
  check('the project page shows the stage cap', (await page.innerText('[data-test=money-stage_cap]')).includes('40,000.00'), await page.innerText('[data-test=money-stage_cap]'));
  const entriesText = await page.innerText('[data-test=entries]');
  check('the entries show the payment with its payee', entriesText.includes('30,000.50') && entriesText.includes(`E2E 建筑公司 ${stamp}`), entriesText.slice(0, 300));
  check('the project page lists the household it benefits', (await page.innerText(`[data-test=household-${household.household_code}]`)).includes('务工'));
  check('the project page lists every step taken', (await page.locator('[data-test=steps] tbody tr').count()) === 8);
  await page.screenshot({ path: path.join(shots, 'project.png'), fullPage: true });

  // ---- The notice: every field, the period of at least 10 days, 12317, on A4 ----------------
  await page.goto(`${base}/projects/${id}/notice`);
  await page.locator('[data-test=notice]').waitFor();
  const notice = await getJson(context, `/api/projects/${id}/notice`);
  check('the notice shows the project\'s name and amount', (await page.innerText('[data-test=notice-name]')).includes(notice.name) && (await page.innerText('[data-test=notice-amount]')).includes(yuan(notice.amount)));
  const periodText = await page.innerText('[data-test=notice-period]');
  check('the notice shows its posting period of at least 10 days', notice.days >= 10 && periodText.includes(notice.posted_on) && periodText.includes(notice.until) && periodText.includes(String(notice.days)), periodText);
  check('the posting period runs from the latest notice', notice.posted_on === '2017-03-24' && notice.until === addDays('2017-03-24', notice.days), JSON.stringify(notice).slice(0, 300));
  check('the notice gives the 12317 hotline', (await page.innerText('[data-test=notice-hotline]')).includes('12317'));
  check('the notice lists the beneficiary household', (await page.innerText('[data-test=notice-households]')).includes(household.household_code));
  await page.emulateMedia({ media: 'print' });
  check('on paper the notice has no buttons and no menu', (await page.locator('.el-button:visible').count()) === 0 && (await page.locator('.header:visible').count()) === 0);
  const pdf = await page.pdf({ path: path.join(shots, 'project-notice.pdf'), format: 'A4', printBackground: true, preferCSSPageSize: true });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  check('the notice prints on one A4 page', pages === 1, String(pages));
  await page.emulateMedia({ media: 'screen' });
  await page.screenshot({ path: path.join(shots, 'project-notice.png'), fullPage: true });

  // ---- The monthly report and the findings ------------------------------------------------
  await page.goto(`${base}/funds/report?month=2017-04`);
  await page.locator('[data-test=report-totals]').waitFor();
  const report = await getJson(context, '/api/fund-reports/monthly?month=2017-04');
  check('the report is due on the 5th of the next month', (await page.innerText('[data-test=due]')).includes('2017-05-05'));
  check('the report shows the month\'s spending as the API gives it', (await page.innerText('[data-test=report-total-spent_month]')).includes(yuan(report.totals.spent_month)) && report.totals.spent_month !== '0.00', report.totals.spent_month);
  check('the report lists the project', (await page.innerText('[data-test=report-by_project]')).includes(`E2E 蔬菜大棚 ${stamp}`));
  await page.screenshot({ path: path.join(shots, 'fund-report.png'), fullPage: true });
  await page.goto(`${base}/funds/findings`);
  await page.locator('[data-test=findings]').waitFor();
  const findings = await getJson(context, '/api/fund-findings');
  const breaches = findings.findings.filter((f) => f.severity === 'breach').length;
  check('the findings page shows the refused payment as a breach', breaches >= 1 && (await page.locator('[data-test=findings] tbody tr[data-severity=breach]').count()) === breaches, String(breaches));
  await page.screenshot({ path: path.join(shots, 'fund-findings.png'), fullPage: true });

  // ---- Assets: one quantified in the project's village; holdings, a dividend declared and a
  // disposal through the page, the shares on a holder's plan page --------------------------
  const assetId = `E2E-A${stamp}`;
  const made = await postJson(context, '/api/assets', {
    id: assetId, project_code: code, kind: 2, value: '200000.00', owner: 'village_collective', owner_name: '某村集体', division_code: village, total_shares: 100,
  });
  check('a new asset is quantified at once among the village\'s poor households', (made.holdings ?? []).length > 0, JSON.stringify(made).slice(0, 300));
  await page.goto(base + '/shares');
  await page.locator(`[data-test=asset-${assetId}]`).waitFor();
  check('the assets list shows the asset with its shares', (await page.innerText(`[data-test=asset-${assetId}]`)).includes('100'));
  await page.locator(`[data-test=asset-${assetId}] [data-test=asset-link]`).click();
  await page.locator('[data-test=holdings]').waitFor();
  const detail = await getJson(context, '/api/assets/' + encodeURIComponent(assetId));
  check('the asset page lists every holding', (await page.locator('[data-test=holdings] tbody tr').count()) === detail.holdings.length && detail.holdings.length > 0, String(detail.holdings.length));
  await page.locator('[data-test=declare]').click();
  await page.locator('[data-test=dividend-form]').waitFor();
  await (await field(page, 'div-year')).fill('2017');
  await (await field(page, 'div-year')).press('Tab');
  await (await field(page, 'div-income')).fill('50000.00');
  await fillDate(page, 'div-date', '2017-12-20');
  await page.locator('[data-test=div-save]').click();
  const declared = await Promise.race([
    page.locator('[data-test=dividend-2017]').waitFor({ timeout: 20000 }).then(() => true),
    page.locator('[data-test=dividend-form] [data-test=form-error]').waitFor({ timeout: 20000 }).then(() => false),
  ]).catch(() => false);
  const dividends = (await getJson(context, '/api/assets/' + encodeURIComponent(assetId))).dividends;
  check('a dividend declared through the page shows with its lines', declared && dividends.length === 1 && (await page.locator('[data-test=dividend-2017] tbody tr').count()) === dividends[0].lines.length,
    declared ? JSON.stringify(dividends).slice(0, 200) : await page.locator('[data-test=dividend-form] [data-test=form-error]').innerText().catch(() => ''));
  await page.screenshot({ path: path.join(shots, 'asset.png'), fullPage: true });
  const holder = detail.holdings.find((h) => h.household_code);
  if (holder) {
    await page.goto(`${base}/households/${holder.household_code}/plan`);
    await page.locator('[data-test=household-shares]').waitFor();
    check('the holder\'s plan page shows its shares', (await page.innerText(`[data-test=share-${assetId}]`)).includes(String(holder.shares)));
    check('the holder\'s plan page shows the dividend', (await page.locator(`[data-test=share-dividend-${assetId}-2017]`).count()) === 1);
    await page.screenshot({ path: path.join(shots, 'household-shares.png'), fullPage: true });
  }
  // Disposal: the form wants more than half the votes for; then the asset is disposed.
  await page.goto(base + '/shares/' + encodeURIComponent(assetId));
  await page.locator('[data-test=dispose]').click();
  await page.locator('[data-test=disposal-form]').waitFor();
  await fillDate(page, 'disp-vote-date', '2018-01-05');
  await (await field(page, 'disp-for')).fill('10');
  await (await field(page, 'disp-for')).press('Tab');
  await (await field(page, 'disp-against')).fill('10');
  await (await field(page, 'disp-against')).press('Tab');
  await fillDate(page, 'disp-township', '2018-01-10');
  await fillDate(page, 'disp-county', '2018-01-20');
  await fillDate(page, 'disp-finance', '2018-01-21');
  await (await field(page, 'disp-reason')).fill('大棚损毁，无法修复');
  await page.locator('[data-test=disp-save]').click();
  await page.locator('[data-test=disposal-form] [data-test=form-error]').waitFor();
  check('a disposal without a majority for is held back by the form', !(await getJson(context, '/api/assets/' + encodeURIComponent(assetId))).asset.disposed);
  await (await field(page, 'disp-for')).fill('30');
  await (await field(page, 'disp-for')).press('Tab');
  await page.locator('[data-test=disp-save]').click();
  await page.locator('[data-test=disposal]').waitFor();
  check('the disposal shows on the asset page', (await page.innerText('[data-test=asset-state]')).includes('已处置') && (await page.innerText('[data-test=disposal]')).includes('2018-01-21'));
  check('a disposed asset offers no dividend', (await page.locator('[data-test=declare]').count()) === 0);

  // ---- A township officer reads without the county's buttons ------------------------------
  const officerContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  const officer = await login(officerContext, 'officer');
  await officer.goto(base + '/funds');
  await officer.locator('[data-test=allocations]').waitFor();
  check('a township officer has no add-allocation button', (await officer.locator('[data-test=add-allocation]').count()) === 0);
  const refusedAllocation = await post(officerContext, '/api/allocations', { source: 'poverty_development', document_number: 'x', year: 2017, amount: '1.00', earmark: [] });
  check('the API refuses a township officer\'s allocation', refusedAllocation.status === 403, String(refusedAllocation.status));
  const theirs = (await getJson(officerContext, '/api/projects?limit=1000')).projects;
  check('a township officer sees only the township\'s projects', theirs.every((p) => p.division_code.startsWith(township)) && theirs.some((p) => p.code === code));

  // ---- 390 px and English ----------------------------------------------------------------
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
  const p = await login(phone, 'admin');
  const pagesAt390 = [['/funds', 'balances', 'the funds page'], ['/projects', 'projects', 'the project library'], [`/projects/${id}`, 'money', 'the project page'],
    [`/projects/${id}/notice`, 'notice', 'the notice'], ['/funds/report?month=2017-04', 'report-totals', 'the monthly report'], ['/funds/findings', 'findings', 'the findings'],
    ['/shares', 'assets', 'the assets list'], ['/shares/' + encodeURIComponent(assetId), 'holdings', 'the asset page']];
  for (const [route, test, what] of pagesAt390) {
    await p.goto(base + route);
    await p.locator(`[data-test=${test}]`).waitFor();
    await p.waitForTimeout(200);
    await noSideways(p, what);
  }
  await p.goto(`${base}/projects/${id}`);
  await p.locator('[data-test=money]').waitFor();
  check('at 390 px the entries are stacked cards', (await p.locator('[data-test=entries] tbody tr').first().evaluate((e) => getComputedStyle(e).display)) === 'block');
  await p.screenshot({ path: path.join(shots, 'project-390.png'), fullPage: true });

  const english = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en' });
  await english.addInitScript(() => localStorage.setItem('jz.locale', 'en'));
  const e = await login(english, 'admin');
  await e.goto(`${base}/projects/${id}/notice`);
  await e.locator('[data-test=notice]').waitFor();
  check('the notice reads in English', (await e.innerText('[data-test=notice]')).includes('Public notice') && (await e.innerText('[data-test=notice-hotline]')).includes('12317'));
} catch (e) {
  fail(e);
}
await finish('funds e2e');
