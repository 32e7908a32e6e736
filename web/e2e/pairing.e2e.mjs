// End-to-end: pairing (结对帮扶, issue 15) on the demo county.
// Usage: node web/e2e/pairing.e2e.mjs [path/to/jingzhun]   (web/dist must be built)
// The county admin adds a cadre; the cadres page shows it with its load against quota beside the
// demo's cadres; a paired household (on the overdue page, which lists it) changes cadre on its
// page — the section shows the new cadre and the history keeps the old one ended — and the cadres
// page's load moves; the pairing is ended, the assignment proposal for the household's village
// shows the household, and applying it (after the confirmation) covers it; the work teams page
// shows the village; 390 px shows every page without sideways scrolling; print hides the buttons.
import path from 'node:path';
import { startDemo, shots } from './harness.mjs';

const { base, browser, check, fail, login, finish, getJson, postJson } = await startDemo(process.argv[2], 'jz-e2e-pairing-');
const township = '540425100';
const future = '2030-01-01';  // a day by which every paired household not visited since is overdue

const noDropdown = (page) => page.waitForFunction(() => ![...document.querySelectorAll('.el-select-dropdown')].some((e) => e.getClientRects().length > 0 && getComputedStyle(e.closest('.el-popper') ?? e).display !== 'none'));
async function field(page, test) {
  const el = page.locator(`[data-test=${test}]`).first();
  await el.waitFor({ state: 'attached' });
  return ['INPUT', 'TEXTAREA'].includes(await el.evaluate((e) => e.tagName)) ? el : el.locator('input, textarea').first();
}
async function loadText(page, id) {
  const row = page.locator(`[data-test=cadre-${id}]`);
  await row.waitFor();
  return (await row.locator('[data-test=load-text]').innerText()).replace(/\s/g, '');
}
async function cadresPage(page, name) {
  await page.goto(`${base}/cadres`);
  await page.locator('[data-test=cadres] tbody tr').first().waitFor();
  if (name) await (await field(page, 'name-filter')).fill(name);
}
async function noSideways(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(`at 390 px ${what} does not scroll sideways`, overflow <= 1, String(overflow));
}

try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  const page = await login(context, 'admin');

  // A cadre of the township, added through the API (the form is checked below).
  const name = '测试干部' + String(Date.now()).slice(-4);
  const cadre = await postJson(context, '/api/cadres', { name, rank: 2, unit: '县扶贫办', phone: '13908941234', township_code: township, active_from: '2015-01-01' });
  check('a new cadre has no households and its rank\'s quota', cadre.load === 0 && cadre.quota > 0, JSON.stringify(cadre));

  // The cadres page: every cadre with its load against its quota, as the API gives them.
  const list = await getJson(context, '/api/cadres?limit=1000');
  const loaded = list.items.find((c) => c.load > 0);
  check('the demo has cadres with households', !!loaded, `${list.items.length} cadres`);
  await cadresPage(page);
  if (loaded) check('the cadres page shows a demo cadre\'s load against quota', (await loadText(page, loaded.id)) === `${loaded.load}/${loaded.quota}`);
  // (the demo has more cadres than one page shows: the new one is found by its name)
  await cadresPage(page, name);
  check('the cadres page shows the new cadre with 0 households', (await loadText(page, cadre.id)) === `0/${cadre.quota}`);
  await page.screenshot({ path: path.join(shots, 'cadres.png'), fullPage: true });

  // The form adds a cadre too (and names a bad field).
  await page.locator('[data-test=add-cadre]').click();
  await page.locator('[data-test=cadre-form]').waitFor();
  await (await field(page, 'form-name')).fill('表单干部');
  await (await field(page, 'form-phone')).fill('电话');
  await page.locator('[data-test=form-save]').click();
  await page.locator('[data-test=form-error]').waitFor();
  check('the cadre form shows the server\'s refusal', (await page.innerText('[data-test=form-error]')).length > 0);
  await (await field(page, 'form-phone')).fill('0894-5821234');
  await page.locator('[data-test=form-save]').click();
  await page.locator('[data-test=cadre-form]').waitFor({ state: 'hidden' });
  const added = (await getJson(context, '/api/cadres?name=' + encodeURIComponent('表单干部'))).items;
  check('the cadre form adds the cadre', added.length === 1 && added[0].phone === '0894-5821234', JSON.stringify(added));

  // The overdue page lists paired households not visited by a day far enough ahead.
  const overdue = await getJson(context, `/api/visits/overdue?unit=${township}&on=${future}&limit=50`);
  check('the overdue list has households', overdue.households.length > 0, JSON.stringify(overdue).slice(0, 200));
  const first = overdue.households[0];
  const code = first.household_code;
  const village = first.division_code;
  await page.goto(`${base}/visits/overdue?unit=${township}&on=${future}`);
  await page.locator(`[data-test=overdue-${code}]`).waitFor();
  check('the overdue page lists the household under its cadre', (await page.locator(`[data-test=group-${first.cadre_id}]`).innerText()).includes(code));
  check('the overdue page says how many and the interval', (await page.innerText('[data-test=overdue-summary]')).includes(String(overdue.total)) && (await page.innerText('[data-test=overdue-summary]')).includes(String(overdue.interval_days)));
  await page.locator('[data-test=by] label', { hasText: '按村' }).click();
  await page.locator(`[data-test=group-${village}] [data-test=overdue-${code}]`).waitFor();
  check('grouped per village, the household is under its village', true);
  await page.screenshot({ path: path.join(shots, 'overdue.png'), fullPage: true });

  // The household page: its cadre, then a change of cadre through the form.
  const before = await getJson(context, `/api/households/${code}/pairings`);
  await page.goto(`${base}/households/${code}`);
  await page.locator('[data-test=pairing-section]').waitFor();
  await page.locator('[data-test=current-name]').waitFor();
  check('the household page shows its current cadre', (await page.innerText('[data-test=current-name]')) === before.current.cadre_name, before.current?.cadre_name);
  check('the household page links to recording a visit', (await page.locator('[data-test=record-visit]').getAttribute('href')) === `/field?household=${code}`);
  await page.locator('[data-test=change-cadre]').click();
  await page.locator('[data-test=change-form]').waitFor();
  await noDropdown(page);
  await page.locator('[data-test=change-cadre-picker]').click();
  await page.keyboard.type(name);
  await page.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click();
  await noDropdown(page);
  const from = new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);  // today in Beijing, the server's day
  await (await field(page, 'change-reason')).fill('干部调整');
  await page.locator('[data-test=change-save]').click();
  await page.locator('[data-test=change-form]').waitFor({ state: 'hidden' });
  await page.waitForFunction((n) => document.querySelector('[data-test=current-name]')?.textContent === n, name);
  check('after the change the section shows the new cadre', (await page.innerText('[data-test=current-name]')) === name);
  const entries = await page.locator('[data-test=pairing-entry]').allInnerTexts();
  check('the history keeps the old pairing', entries.length === before.pairings.length + 1 && entries.some((e) => e.includes(before.current.cadre_name)), JSON.stringify(entries));
  const after = await getJson(context, `/api/households/${code}/pairings`);
  const ended = after.pairings.find((p) => p.id === before.current.id);
  check('the old pairing ended the day before the new one', !!ended && ended.to !== null && ended.to <= from, JSON.stringify(ended));
  await page.reload();
  await page.locator('[data-test=sheet-pairing_cadre]').waitFor();
  check('the household\'s pairing cadre follows', (await page.innerText('[data-test=sheet-pairing_cadre]')).includes(name));
  await cadresPage(page, name);
  check('the cadres page shows the new load', (await loadText(page, cadre.id)) === `1/${cadre.quota}`);

  // End the pairing through the form: the household needs a cadre.
  await page.goto(`${base}/households/${code}`);
  await page.locator('[data-test=end-pairing]').click();
  await page.locator('[data-test=end-pairing-form]').waitFor();
  await (await field(page, 'end-reason')).fill('干部离任');
  await page.locator('[data-test=end-pairing-save]').click();
  await page.locator('[data-test=no-cadre]').waitFor();
  check('after ending, the household has no cadre', (await page.locator('[data-test=current-name]').count()) === 0);
  await page.screenshot({ path: path.join(shots, 'household-pairing.png'), fullPage: true });

  // The proposal for its village shows the household; applying it covers it.
  // (a pairing ended today: a new one may begin tomorrow, so the proposal is asked for tomorrow)
  const tomorrow = new Date(Date.now() + 8 * 3600000 + 86400000).toISOString().slice(0, 10);
  await page.goto(`${base}/pairing/assign?unit=${village}&on=${tomorrow}`);
  await page.locator('[data-test=counts]').waitFor();
  const proposed = await page.locator(`[data-test=pair-${code}]`).count();
  const uncovered = await page.locator(`[data-test=uncovered-${code}]`).count();
  check('the proposal shows the household left without a cadre', proposed + uncovered === 1, `pair ${proposed}, uncovered ${uncovered}`);
  check('it is proposed a cadre (one of the township has room)', proposed === 1);
  await page.screenshot({ path: path.join(shots, 'pairing-assign.png'), fullPage: true });
  await page.locator('[data-test=apply]').click();
  await page.locator('.el-message-box').waitFor();
  await page.locator('.el-message-box .el-button--primary').click();
  await page.locator('[data-test=applied]').waitFor();
  const covered = await getJson(context, `/api/households/${code}/pairings`);
  check('applying the proposal covers the household', covered.current !== null && covered.current.reason.includes('自动分配'), JSON.stringify(covered.current));
  await page.locator(`[data-test=pair-${code}]`).waitFor({ state: 'detached' });
  check('the fresh proposal no longer lists it', (await page.locator(`[data-test=pair-${code}]`).count()) === 0);

  // A township's user sees the proposal but cannot apply it; the menu offers it to the county only.
  const townCtx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  const town = await login(townCtx, 'officer');
  const me = await getJson(townCtx, '/api/me');
  if (me.scope.length > 6) {
    await town.goto(`${base}/pairing/assign`);
    await town.locator('[data-test=counts]').waitFor();
    check('a township user sees no apply button', (await town.locator('[data-test=apply]').count()) === 0 && (await town.locator('[data-test=view-only]').count()) === 1);
  }

  // Work teams of the village.
  await page.goto(`${base}/teams?unit=${village}`);
  await page.locator(`[data-test=team-${village}]`).waitFor();
  check('the teams page shows the village and its first secretary line', (await page.locator(`[data-test=team-${village}] [data-test=first-secretary]`).count()) === 1);
  await page.locator(`[data-test=add-${village}]`).click();
  await page.locator('[data-test=member-form]').waitFor();
  await noDropdown(page);
  await page.locator('[data-test=member-cadre]').click();
  await page.keyboard.type(name);
  await page.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click();
  await noDropdown(page);
  await page.locator('[data-test=member-save]').click();
  await page.locator('[data-test=member-form]').waitFor({ state: 'hidden' });
  await page.locator(`[data-test=team-${village}]`, { hasText: name }).waitFor();
  const teams = await getJson(context, `/api/teams?unit=${village}`);
  const member = teams.villages[0].members.find((m) => m.cadre_id === cadre.id);
  check('the new member is on the team', !!member, JSON.stringify(teams.villages[0]).slice(0, 300));
  if (member) {
    await page.locator(`[data-test=days-${member.id}]`).first().click();
    await page.locator('[data-test=days-form]').waitFor();
    await (await field(page, 'days-value')).fill('12');
    await page.locator('[data-test=days-save]').click();
    await page.locator('[data-test=days-form]').waitFor({ state: 'hidden' });
    await page.locator(`[data-test=member-${member.id}] .month.short`).first().waitFor();
    check('a month under the minimum is flagged', (await page.locator(`[data-test=member-${member.id}] .month.short`).count()) === 1);
  }
  await page.screenshot({ path: path.join(shots, 'teams.png'), fullPage: true });

  // English.
  const en = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en' });
  const enPage = await login(en, 'admin');
  await enPage.evaluate(() => localStorage.setItem('jz.locale', 'en'));
  await enPage.goto(`${base}/households/${code}`);
  await enPage.locator('[data-test=pairing-section]').waitFor();
  check('in English the section speaks English', (await enPage.innerText('[data-test=pairing-section]')).includes('Record a visit'));

  // The viewer: masked phones, no writes.
  const viewerCtx = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  const viewer = await login(viewerCtx, 'viewer');
  await cadresPage(viewer, name);
  await viewer.locator(`[data-test=cadre-${cadre.id}]`).waitFor();
  const row = await viewer.innerText(`[data-test=cadre-${cadre.id}]`);
  check('the viewer sees the cadre\'s phone masked', !row.includes('13908941234') && row.includes('*'), row);
  check('the viewer has no add button', (await viewer.locator('[data-test=add-cadre]').count()) === 0);

  // A phone.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
  const p = await login(phone, 'admin');
  await cadresPage(p, name);
  await p.locator(`[data-test=cadre-${cadre.id}]`).waitFor();
  await noSideways(p, 'the cadres page');
  check('at 390 px the cadres are stacked cards', (await p.locator(`[data-test=cadre-${cadre.id}]`).evaluate((e) => getComputedStyle(e).display)) === 'block');
  await p.screenshot({ path: path.join(shots, 'cadres-390.png'), fullPage: true });
  await p.goto(`${base}/households/${code}`);
  await p.locator('[data-test=pairing-section]').waitFor();
  await p.locator('[data-test=current-name]').waitFor();
  await noSideways(p, 'the household page with its pairing');
  await p.screenshot({ path: path.join(shots, 'household-pairing-390.png'), fullPage: true });
  await p.goto(`${base}/pairing/assign?unit=${township}`);
  await p.locator('[data-test=counts]').waitFor();
  await noSideways(p, 'the proposal');
  await p.screenshot({ path: path.join(shots, 'pairing-assign-390.png'), fullPage: true });
  await p.goto(`${base}/visits/overdue?unit=${township}&on=${future}`);
  await p.locator('[data-test=overdue] tbody tr').first().waitFor();
  await noSideways(p, 'the overdue page');
  check('at 390 px the overdue rows are stacked cards', (await p.locator('[data-test=overdue] tbody tr').first().evaluate((e) => getComputedStyle(e).display)) === 'block');
  await p.screenshot({ path: path.join(shots, 'overdue-390.png'), fullPage: true });
  await p.goto(`${base}/teams?unit=${village}`);
  await p.locator(`[data-test=team-${village}]`).waitFor();
  await noSideways(p, 'the teams page');
  await p.screenshot({ path: path.join(shots, 'teams-390.png'), fullPage: true });

  // Print.
  await cadresPage(page);
  await page.emulateMedia({ media: 'print' });
  check('print hides the cadres page\'s buttons and filters', !(await page.locator('[data-test=add-cadre]').isVisible()) && (await page.locator('[data-test=cadres]').isVisible()));
  await page.pdf({ path: path.join(shots, 'cadres-print.pdf'), format: 'A4', printBackground: true });
  await page.goto(`${base}/visits/overdue?unit=${township}&on=${future}`);
  await page.locator('[data-test=overdue] tbody tr').first().waitFor();
  check('print keeps the overdue list', await page.locator('[data-test=overdue]').isVisible());
  await page.pdf({ path: path.join(shots, 'overdue-print.pdf'), format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
} catch (e) {
  fail(e);
}
await finish('pairing e2e');
