// End-to-end: dynamic management (动态管理) on the demo county — the real server, driven in Debian's
// Chromium by playwright-core. Opens every dynamic-management page, takes an exit candidate through
// the whole exit procedure in the workbench, and reads the steps back on the household's timeline.
// Usage: node e2e/dynamic.mjs [path/to/jingzhun]   (default ../build/jingzhun; web/dist must be built)
// Saves screenshots to build/screenshots/dynamic-*.png (scripts/screenshots: docs/screenshots/).
import path from 'node:path';
import { addDays, startDemo, shots } from './harness.mjs';

const { base, browser, check, fail, login, finish, getJson } = await startDemo(process.argv[2], 'jz-e2e-dyn-');

// A valid 18-digit ID number (GB 11643 check character).
function idNumber(region, birth, sequence) {
  const body = region + birth + sequence;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((n, d, i) => n + Number(d) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

// Element Plus puts a component's data-test on its <input> (or on a wrapper around it).
const inputOf = (page, id, tag = 'input') => page.locator(`${tag}[data-test=${id}], [data-test=${id}] ${tag}`).first();

async function setDate(page, id, value) {
  const input = inputOf(page, id);
  await input.click();
  await input.fill(value);
  await input.press('Enter');
  const got = await input.inputValue();
  if (got !== value) throw new Error(`date ${id}: wanted ${value}, the picker shows ${got}`);
}

// Chooses an option of an el-select (its dropdown is teleported to the body).
async function choose(page, select, text) {
  await select.click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
}

const steps = (page) => page.locator('[data-test=case-steps] .el-timeline-item').count();

// Takes the case page's next step: checks it is `expected` (its Chinese name), dates it and submits.
// Answers the refusal's text, or '' when the step was taken.
async function takeStep(page, expected, date, notes) {
  const next = await page.innerText('[data-test=next-step]');
  check(`the next step is ${expected}`, next.includes(expected), next);
  const before = await steps(page);
  await setDate(page, 'step-date', date);
  await inputOf(page, 'step-notes', 'textarea').fill(notes);
  await page.click('[data-test=step-submit]');
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-test=case-steps] .el-timeline-item').length > n || document.querySelector('[data-test=step-error]'),
    before,
    { timeout: 15000 },
  );
  const error = page.locator('[data-test=step-error]');
  return (await error.count()) ? await error.innerText() : '';
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const page = await login(context, 'admin');

  // Learn from the API which year the demo has households to exit: the planned exit years of
  // households not yet exited, then the plan's years. The demo's poor are poor — none meets the
  // standard yet — so one whose only unmet condition is income gets a raise on its household page.
  const plan = await getJson(context, '/api/plan');
  const notExited = await getJson(context, '/api/households?status=0&page_size=50');
  const years = [...new Set([...notExited.items.map((h) => h.planned_exit_year).filter(Boolean), plan.end_year, plan.start_year])];
  let year = null;
  let api = null;
  let code = null;
  for (const y of years) {
    const r = await getJson(context, `/api/exit-candidates?year=${y}&which=not_ready&limit=1000`);
    const incomeOnly = r.items.find((i) => i.unmet.length === 1 && i.unmet[0].id === 'income');
    if (r.total_not_ready > 0 && incomeOnly) {
      year = y;
      api = r;
      code = incomeOnly.household_code;
      break;
    }
  }
  check('the demo has households to exit in some year', year !== null, years.join(','));
  if (year === null) throw new Error('no year with households to exit');
  console.log(`exit candidates ${year}: ${api.total_candidates} ready, ${api.total_not_ready} not ready; raising the income of ${code}`);

  // Exit candidates: the counts, the township summary, the unmet conditions.
  await page.goto(base + `/exit-candidates?year=${year}&which=not_ready`);
  await page.waitForSelector('[data-test=unmet-tag]', { timeout: 30000 });
  const notReady = Number((await page.innerText('[data-test=total-not-ready]')).replace(/\D/g, ''));
  check('the exit-candidates page shows the not-ready count', notReady > 0 && notReady === api.total_not_ready, `${notReady} vs ${api.total_not_ready}`);
  check('not-ready households show their unmet conditions', (await page.locator('[data-test=unmet-tag]').count()) > 0);
  check('the unmet-condition counts are listed', (await page.locator('[data-test=unmet-counts] tbody tr').count()) > 0);
  check('the township summary lists townships', (await page.locator('[data-test=cand-townships] tbody tr').count()) > 0);
  await page.screenshot({ path: path.join(shots, 'dynamic-exit-not-ready.png'), fullPage: true });

  // Raise the household's income above the line on its page.
  await page.goto(base + '/households/' + code);
  await page.waitForSelector('[data-test=edit]');
  await page.click('[data-test=edit]');
  await inputOf(page, 'income').fill('5000.00');
  await page.click('[data-test=save]');
  await page.waitForSelector('[data-test=edit]', { timeout: 10000 });

  // Now a candidate.
  await page.goto(base + `/exit-candidates?year=${year}`);
  await page.waitForSelector('[data-test=cand-items] tbody tr', { timeout: 30000 });
  const shown = Number((await page.innerText('[data-test=total-candidates]')).replace(/\D/g, ''));
  check('the exit-candidates page counts the new candidate', shown === api.total_candidates + 1, `${shown} vs ${api.total_candidates} + 1`);
  await page.screenshot({ path: path.join(shots, 'dynamic-exit-candidates.png'), fullPage: true });

  // Open an exit on it.
  const row = page.locator('[data-test=cand-items] tbody tr', { hasText: code }).first();
  await row.locator('[data-test=start-exit]').click();
  await inputOf(page, 'exit-date').waitFor({ state: 'visible' });
  const opened = `${year}-09-01`;
  await setDate(page, 'exit-date', opened);
  await page.click('[data-test=exit-submit]');
  await page.waitForURL(/\/procedures\/\d+$/, { timeout: 15000 });
  const caseId = new URL(page.url()).pathname.split('/').pop();
  await page.waitForSelector('[data-test=step-form]');
  check('the exit case opens as proposed', (await page.innerText('[data-test=case-state]')).includes('已提出'), await page.innerText('[data-test=case-state]'));
  check('the case names the household', (await page.innerText('[data-test=case]')).includes(code));

  // Through every step: appraise, verify, agree, notice, announce.
  const taken = [];
  let refusal = await takeStep(page, '民主评议', addDays(opened, 1), 'e2e 民主评议');
  check('the village appraisal is recorded', !refusal, refusal);
  taken.push('民主评议');
  refusal = await takeStep(page, '核实', addDays(opened, 2), 'e2e 核实');
  check('the verification is recorded', !refusal, refusal);
  taken.push('核实');
  refusal = await takeStep(page, '农户认可', addDays(opened, 3), 'e2e 农户认可');
  check('the household’s agreement is recorded', !refusal, refusal);
  taken.push('农户认可');
  const noticeDate = addDays(opened, 4);
  refusal = await takeStep(page, '公示', noticeDate, 'e2e 公示');
  check('the notice is posted', !refusal, refusal);
  taken.push('公示');
  // The announcement may not come during the notice: the step form's picker does not take its days
  // (the server would refuse them too: api_procedures_test).
  const inside = addDays(noticeDate, 1);
  try {
    await setDate(page, 'step-date', inside);
  } catch {
    /* the picker shows another day at once */
  }
  await page.keyboard.press('Escape');
  const kept = await inputOf(page, 'step-date').inputValue();
  check('a day inside the notice is not taken by the step form', kept !== inside, kept);
  await page.screenshot({ path: path.join(shots, 'dynamic-case-refused.png'), fullPage: true });
  const detail = await getJson(context, `/api/procedures/${caseId}`);
  const announceOn = detail.next_step?.not_before ?? addDays(noticeDate, 7);
  check('the announcement waits for the end of the notice', announceOn > noticeDate, announceOn);
  refusal = await takeStep(page, '公告', announceOn, 'e2e 公告');
  check('the announcement after the notice is taken', !refusal, refusal);
  taken.push('公告');
  await page.waitForFunction(() => document.querySelector('[data-test=case-state]')?.textContent?.includes('已退出'), null, { timeout: 10000 });
  check('the case ends exited', (await page.innerText('[data-test=case-state]')).includes('已退出'));
  check('a closed case has no step form', (await page.locator('[data-test=step-form]').count()) === 0);
  await page.screenshot({ path: path.join(shots, 'dynamic-case.png'), fullPage: true });

  // The household: exited, and its timeline shows every step.
  await page.goto(base + '/households/' + code);
  await page.waitForSelector('[data-test=timeline] tbody tr', { timeout: 15000 });
  const timeline = await page.innerText('[data-test=timeline]');
  check('the household timeline shows every step', ['提出退出', ...taken].every((s) => timeline.includes(s)), timeline);
  check('the timeline rows are the case’s steps', (await page.locator('[data-test=timeline] tbody tr').count()) >= taken.length + 1);
  const household = await getJson(context, '/api/households/' + code);
  check('the household is exited in the case’s year', household.status === 1 && household.exit_year === year, `${household.status} ${household.exit_year}`);
  check('an exited household offers a fallback, not another exit',
    (await page.locator('[data-test=action-fallback]').count()) === 1 && (await page.locator('[data-test=action-exit]').count()) === 0);

  // A child is born (member change 新生儿), then the household falls back (返贫): both from its page.
  const before = household.members.length;
  await page.click('[data-test=action-member]');
  await choose(page, page.locator('[data-test=action-change]'), '新生儿');
  await inputOf(page, 'person-name').fill('新生测试');
  await inputOf(page, 'person-id').fill(idNumber('540425', '20180315', '917'));
  await page.click('[data-test=action-submit]');
  await page.waitForFunction(() => document.querySelector('[data-test=timeline]')?.textContent?.includes('成员变更') || document.querySelector('[data-test=action-error]'), null, { timeout: 10000 });
  const memberError = page.locator('[data-test=action-error]');
  check('a newborn joins the household', (await memberError.count()) === 0, (await memberError.count()) ? await memberError.innerText() : '');
  const grown = await getJson(context, '/api/households/' + code);
  check('the household has one member more', grown.members.length === before + 1, `${before} → ${grown.members.length}`);
  await page.waitForSelector('[data-test=action-fallback]');
  await page.click('[data-test=action-fallback]');
  await inputOf(page, 'action-reason').fill('因病返贫');
  await page.click('[data-test=action-submit]');
  await page.waitForFunction(() => document.querySelector('[data-test=timeline]')?.textContent?.includes('返贫') || document.querySelector('[data-test=action-error]'), null, { timeout: 10000 });
  check('the fallback is recorded', (await page.locator('[data-test=action-error]').count()) === 0);
  const fallen = await getJson(context, '/api/households/' + code);
  check('the household is poor again', fallen.status === 3, String(fallen.status));
  await page.waitForSelector('[data-test=action-exit]', { timeout: 10000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(shots, 'dynamic-household-timeline.png'), fullPage: true });

  // A second exit, left open: the queue shows what waits for whom.
  const more = await getJson(context, `/api/exit-candidates?year=${year}&limit=5`);
  const other = more.items.find((i) => i.household_code !== code);
  const openRes = await context.request.post(base + '/api/procedures', {
    data: { kind: 'exit', household_code: other.household_code, year, date: `${year}-10-01`, notes: 'e2e open' },
  });
  check('a second exit opens', openRes.status() === 201, `${openRes.status()} ${await openRes.text()}`);
  const second = await openRes.json();
  await page.goto(base + '/procedures');
  await page.waitForSelector('[data-test=cases] tbody tr', { timeout: 15000 });
  check('the queue lists the open case', (await page.innerText('[data-test=cases]')).includes(other.household_code));
  const waitingRows = await page.locator('[data-test=waiting] tbody tr').allInnerTexts();
  check('the waiting table has the case at the village', waitingRows.some((r) => /\t1\t0\t0/.test(r) || /\s1\s+0\s+0/.test(r)), waitingRows.join(' | '));
  check('the open case shows days waiting', /^\d+$/.test((await page.locator('[data-test=days]').first().innerText()).trim()));
  await page.screenshot({ path: path.join(shots, 'dynamic-procedures.png'), fullPage: true });

  // The county may not approve the year while a case is open: refused in words.
  await page.goto(base + `/adjustments/${year}`);
  await page.waitForSelector('[data-test=adjustment] tbody tr', { timeout: 15000 });
  const adjustment = await getJson(context, `/api/adjustments/${year}`);
  check('the adjustment lists the townships and a total', (await page.locator('[data-test=adjustment] tbody tr').count()) === adjustment.townships.length + 1);
  check('the exit is counted in the year', adjustment.total.exits >= 1 && adjustment.total.open_cases >= 1, JSON.stringify(adjustment.total));
  check('the county administrator may approve', (await page.locator('[data-test=approve]').count()) === 1);
  await page.click('[data-test=approve]');
  await inputOf(page, 'approve-date').waitFor({ state: 'visible' });
  await setDate(page, 'approve-date', `${year}-12-31`);
  await page.click('[data-test=approve-submit]');
  const approveError = await page.locator('[data-test=approve-error]').innerText({ timeout: 10000 });
  check('the approval is refused while a case is open, in Chinese only', /[\u4e00-\u9fff]/.test(approveError) && !/ \/ [A-Za-z]/.test(approveError), approveError);
  await page.screenshot({ path: path.join(shots, 'dynamic-adjustment-refused.png'), fullPage: true });

  // The queue's drawer: the open case is rejected at the village appraisal.
  await page.goto(base + `/procedures?open=all&year=${year}`);
  await page.waitForSelector('[data-test=cases] tbody tr', { timeout: 15000 });
  const queue = await page.innerText('[data-test=cases]');
  check('the procedure queue lists both cases', queue.includes(code) && queue.includes(other.household_code), queue.slice(0, 300));
  await page.locator('[data-test=cases] tbody tr', { hasText: other.household_code }).first().click();
  await page.waitForSelector('.el-drawer [data-test=step-form]', { timeout: 10000 });
  await choose(page, page.locator('.el-drawer [data-test=step-outcome]'), '未通过');
  await inputOf(page, 'step-notes', 'textarea').fill('e2e 评议未通过');
  await page.click('.el-drawer [data-test=step-submit]');
  await page.waitForFunction(() => document.querySelector('.el-drawer [data-test=case-state]')?.textContent?.includes('未通过'), null, { timeout: 10000 });
  check('a rejected appraisal closes the case', (await page.locator('.el-drawer [data-test=step-form]').count()) === 0);
  check('the drawer shows the steps', (await page.locator('.el-drawer [data-test=case-steps] .el-timeline-item').count()) === 2);
  const rejected = await getJson(context, `/api/procedures/${second.id}`);
  check('the case is rejected and closed', rejected.state === 'rejected' && rejected.open === false, `${rejected.state} ${rejected.open}`);
  await page.screenshot({ path: path.join(shots, 'dynamic-procedure-drawer.png'), fullPage: true });

  // New identification: a proposal with a bad ID number comes back with the field's reason.
  await page.goto(base + '/procedures/new');
  await page.waitForSelector('[data-test=newid-form]');
  await inputOf(page, 'newid-code').fill(code.slice(0, 12) + '9999');
  await inputOf(page, 'm-name-0').fill('新识别测试');
  await inputOf(page, 'm-id-0').fill('540425199001011230');
  await page.click('[data-test=newid-submit]');
  const newError = await page.locator('[data-test=newid-error]').innerText({ timeout: 10000 });
  check('an invalid proposal is refused with reasons', newError.length > 0, newError);
  await page.screenshot({ path: path.join(shots, 'dynamic-new-identification.png'), fullPage: true });

  // With no case open, the county approves the year.
  await page.goto(base + `/adjustments/${year}`);
  await page.waitForSelector('[data-test=approve]', { timeout: 15000 });
  await page.click('[data-test=approve]');
  await inputOf(page, 'approve-date').waitFor({ state: 'visible' });
  await setDate(page, 'approve-date', `${year}-12-31`);
  await page.click('[data-test=approve-submit]');
  await page.waitForSelector('[data-test=approval]', { timeout: 10000 });
  check('the adjustment is approved by the administrator', (await page.innerText('[data-test=approval]')).includes('admin'), await page.innerText('[data-test=approval]'));
  check('an approved year offers no approval', (await page.locator('[data-test=approve]').count()) === 0);
  await inputOf(page, 'approve-date').waitFor({ state: 'hidden' });
  await page.waitForTimeout(500);  // the tags' and the dialog's transitions
  await page.screenshot({ path: path.join(shots, 'dynamic-adjustment.png'), fullPage: true });

  // Poverty incidence: the county card, townships and villages; the county's population set inline.
  await page.goto(base + `/incidence?year=${year}`);
  await page.waitForSelector('[data-test=inc-villages] tbody tr', { timeout: 15000 });
  check('the incidence page lists townships', (await page.locator('[data-test=inc-townships] tbody tr').count()) >= 6);
  check('the incidence page lists villages', (await page.locator('[data-test=inc-villages] tbody tr').count()) > 0);
  await page.click('[data-test=population-edit-county]');
  await inputOf(page, 'population-input').fill('30000');
  await page.click('[data-test=population-save]');
  await page.waitForFunction(() => document.querySelector('[data-test=county-incidence]')?.textContent?.includes('%'), null, { timeout: 10000 });
  const incidence = await page.innerText('[data-test=county-incidence]');
  check('with the population set the county’s incidence shows', /\d+\.\d+%/.test(incidence), incidence);
  check('the county card says whether it meets the threshold', /达标/.test(await page.innerText('[data-test=county-meets]')));
  await page.screenshot({ path: path.join(shots, 'dynamic-incidence.png'), fullPage: true });

  // Third-party evaluation: draw, judge one wrongful, enter a survey that vetoes.
  await page.goto(base + '/evaluations');
  await page.waitForSelector('[data-test=draw-form]');
  await inputOf(page, 'draw-size').fill('20');
  await inputOf(page, 'draw-seed').fill('42');
  await page.click('[data-test=draw-submit]');
  await page.waitForURL(/\/evaluations\/\d+$/, { timeout: 15000 });
  await page.waitForSelector('[data-test=eval-items] tbody tr', { timeout: 15000 });
  check('the sample is drawn', (await page.locator('[data-test=eval-items] tbody tr').count()) > 0);
  await choose(page, page.locator('[data-test=eval-items] tbody tr').first().locator('.el-select').first(), '错误退出');
  await page.waitForFunction(() => /\d%/.test(document.querySelector('[data-test=rate-wrongful_exit_rate]')?.textContent ?? ''), null, { timeout: 10000 });
  check('a wrongful verdict gives a wrongful-exit rate', /\d+\.\d+%/.test(await page.innerText('[data-test=rate-wrongful_exit_rate]')));
  await inputOf(page, 'survey-non-poor').fill('100');
  await inputOf(page, 'survey-missed').fill('1');
  await inputOf(page, 'survey-asked').fill('100');
  await inputOf(page, 'survey-satisfied').fill('80');
  await page.click('[data-test=survey-save]');
  await page.waitForFunction(() => /80\.00%/.test(document.querySelector('[data-test=rate-approval_rate]')?.textContent ?? ''), null, { timeout: 10000 });
  const vetoes = await page.innerText('[data-test=vetoes]');
  check('an approval of 80% is vetoed', (await page.locator('[data-test=vetoes] .el-alert').count()) > 0, vetoes);
  await page.screenshot({ path: path.join(shots, 'dynamic-evaluation.png'), fullPage: true });
  await page.goto(base + '/evaluations');
  await page.waitForSelector('[data-test=evaluations] tbody tr');
  await page.screenshot({ path: path.join(shots, 'dynamic-evaluations.png'), fullPage: true });

  // The township officer sees the adjustment but no county approval.
  const officerContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const officer = await login(officerContext, 'officer');
  await officer.goto(base + `/adjustments/${year}`);
  await officer.waitForSelector('[data-test=adjustment] tbody tr', { timeout: 15000 });
  check('the township officer has no county approve button', (await officer.locator('[data-test=approve]').count()) === 0);
  await officer.screenshot({ path: path.join(shots, 'dynamic-adjustment-officer.png'), fullPage: true });

  // A viewer sees a case but no step form.
  const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const viewer = await login(viewerContext, 'viewer');
  await viewer.goto(base + '/procedures/' + caseId);
  await viewer.waitForSelector('[data-test=case-steps] .el-timeline-item', { timeout: 15000 });
  check('a viewer has no step form', (await viewer.locator('[data-test=step-form]').count()) === 0);
} catch (e) {
  fail(e);
}
await finish('e2e dynamic');
