// End-to-end: one household, one plan (一户一案, issue 14).
// Usage: node web/e2e/ledger.e2e.mjs [path/to/jingzhun]   (web/dist must be built)
// The township officer opens a household planned for ecological compensation (or industry support)
// and not yet reached,
// goes from its household page to its plan page, adds an item through the form (shown unconfirmed),
// signs it off (the measures page's reached count goes up by one), deletes it with a reason (greyed,
// the reason shown, the count back), records a year's income by its parts (computed per head to the
// fen); the measures page drills down to the households not reached; 390 px and print work.
import path from 'node:path';
import { startDemo, shots } from './harness.mjs';

const { base, browser, check, fail, login, finish, getJson } = await startDemo(process.argv[2], 'jz-e2e-ledger-');
const township = '540425100';
// The measure to work on: ecological compensation, or (when the demo ledger already reached every
// household of the township planned for it) industry support; each with its clarity-card category.
const candidates = [[8, '生态补偿'], [1, '产业扶持']];

// An Element Plus select: open it, pick the option with this text.
// (A closing dropdown stays visible a moment: wait until none shows before and after.)
const noDropdown = (page, timeout = 30000) => page.waitForFunction(() => ![...document.querySelectorAll('.el-select-dropdown')].some((e) => e.getClientRects().length > 0 && getComputedStyle(e.closest('.el-popper') ?? e).display !== 'none'), null, { timeout });
// (A click on an option while the list is still being drawn can leave it open on a loaded
// machine: when it has not closed after a few seconds the option is clicked again, then Escape.)
async function choose(page, test, text) {
  await noDropdown(page);
  await page.locator(`[data-test=${test}]`).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: text }).first().click();
  try {
    await noDropdown(page, 5000);
  } catch {
    const option = page.locator('.el-select-dropdown__item:visible', { hasText: text });
    if (await option.count()) await option.first().click();
    await noDropdown(page, 5000).catch(() => page.keyboard.press('Escape'));
    await noDropdown(page);
  }
}
// An Element Plus date picker: type the date.
async function typeDate(page, test, date) {
  const input = await field(page, test);
  await input.fill(date);
  await input.press('Enter');
}
// The text box of a form field, whether the data-test sits on it or around it.
async function field(page, test) {
  const el = page.locator(`[data-test=${test}]`).first();
  await el.waitFor({ state: 'attached' });
  return ['INPUT', 'TEXTAREA'].includes(await el.evaluate((e) => e.tagName)) ? el : el.locator('input, textarea').first();
}
// The measures page's figures of one measure, as the page shows them.
async function figures(page, number) {
  await page.goto(`${base}/measures?unit=${township}`);
  const row = page.locator(`[data-test=measure-${number}]`);
  await row.waitFor();
  const num = async (test) => Number((await row.locator(`[data-test=${test}]`).innerText()).replace(/[^0-9]/g, ''));
  return { reached: await num('reached'), items: await num('items'), unsigned: await num('unsigned'), beneficiaries: await num('beneficiaries') };
}

try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  const page = await login(context, 'officer');

  // A household planned for the measure and not reached in the period the measures page shows.
  const period = await getJson(context, `/api/reports/measures?unit=${township}`);
  let measure = 0, category = '', missing = { items: [] };
  for (const [number, name] of candidates) {
    missing = await getJson(context, `/api/reports/measures/${number}/not-reached?unit=${township}&limit=50`);
    if (missing.items.length > 0) { measure = number; category = name; break; }
  }
  check('the drill-down lists planned households not reached', missing.items.length > 0, JSON.stringify(missing).slice(0, 200));
  const code = missing.items[0].household_code;
  const head = missing.items[0].head_name;

  const before = await figures(page, measure);
  const apiBefore = period.measures.find((m) => m.number === measure);
  check('the measures page shows the API\'s figures', before.reached === apiBefore.reached_households && before.items === apiBefore.items, JSON.stringify({ before, apiBefore }));
  await page.screenshot({ path: path.join(shots, 'measures.png'), fullPage: true });

  // The drill-down links to the plan page.
  await page.locator(`[data-test=drill-${measure}]`).click();
  await page.locator('[data-test=not-reached]').waitFor();
  check('the drill-down links to a household\'s plan page', (await page.locator(`[data-test=plan-${code}]`).getAttribute('href')) === `/households/${code}/plan`);

  // From the household page to its plan page.
  await page.goto(`${base}/households/${code}`);
  await page.locator('[data-test=open-plan]').click();
  await page.waitForURL(new RegExp(`/households/${code}/plan$`));
  await page.locator('[data-test=plan-head]').waitFor();
  check('the plan page names the household and its head', (await page.innerText('[data-test=plan-head]')).includes(code) && (!head || (await page.innerText('[data-test=plan-head]')).includes(head)));

  // Add an item through the form.
  await page.locator('[data-test=add-item]').click();
  await page.locator('[data-test=add-dialog]').waitFor();
  await choose(page, 'f-measure', `${measure}.`);
  await choose(page, 'f-category', category);
  await choose(page, 'f-kind', '现金');
  await typeDate(page, 'f-start', '2017-03-01');
  await (await field(page, 'f-amount')).fill('1520.50');
  await (await field(page, 'f-notes')).fill('补助（端到端）');
  await page.locator('[data-test=add-save]').click();
  const item = page.locator('.item', { hasText: '补助（端到端）' });
  await item.waitFor();
  check('the new item is on the timeline, marked 未签收', (await item.getAttribute('data-state')) === 'unsigned' && (await item.locator('[data-test=state-unsigned]').innerText()).includes('未签收'));
  check('its amount is shown from the decimal string', (await item.locator('[data-test=amount]').innerText()).includes('1,520.50'));
  const itemCode = (await item.getAttribute('data-test')).replace(/^item-/, '');

  const unsignedFigures = await figures(page, measure);
  check('an unconfirmed item counts as an item, not as reached', unsignedFigures.items === before.items + 1 && unsignedFigures.unsigned === before.unsigned + 1 && unsignedFigures.reached === before.reached, JSON.stringify(unsignedFigures));

  // Sign it off.
  await page.goto(`${base}/households/${code}/plan`);
  await page.locator(`[data-test=sign-${itemCode}]`).click();
  await page.locator('[data-test=sign-dialog]').waitFor();
  check('the sign-off form proposes the head as signer', (await (await field(page, 'f-signed-by')).inputValue()) === (head ?? ''));
  await typeDate(page, 'f-signed-on', '2017-03-05');  // within the period the measures page counts
  await page.locator('[data-test=sign-save]').click();
  await page.waitForFunction((c) => document.querySelector(`[data-test="item-${c}"]`)?.getAttribute('data-state') === 'signed', itemCode);
  check('signed off, the item is no longer unconfirmed', (await page.locator(`[data-test="item-${itemCode}"] [data-test=state-signed]`).innerText()).includes('已签收'));

  const signedFigures = await figures(page, measure);
  check('the measures page counts the household as reached', signedFigures.reached === before.reached + 1 && signedFigures.unsigned === before.unsigned, JSON.stringify(signedFigures));
  check('its members are beneficiaries now', signedFigures.beneficiaries > before.beneficiaries, JSON.stringify(signedFigures));
  const map = await getJson(context, `/api/reports/summary?unit=${township}`);
  check('the battle map\'s measures show the same reached count', map.measures.find((m) => m.number === measure).reached_households === signedFigures.reached);

  // Delete it with a reason.
  await page.goto(`${base}/households/${code}/plan`);
  await page.locator(`[data-test=delete-${itemCode}]`).click();
  await page.locator('[data-test=delete-dialog]').waitFor();
  check('delete needs a reason', await page.locator('[data-test=delete-save]').isDisabled());
  await (await field(page, 'f-reason')).fill('重复录入');
  await page.locator('[data-test=delete-save]').click();
  await page.waitForFunction((c) => document.querySelector(`[data-test="item-${c}"]`)?.getAttribute('data-state') === 'deleted', itemCode);
  const deleted = page.locator(`[data-test="item-${itemCode}"]`);
  check('the deleted item stays, greyed, with its reason', (await deleted.locator('[data-test=delete-reason]').innerText()).includes('重复录入') &&
    Number(await deleted.evaluate((e) => getComputedStyle(e).opacity)) < 1);
  const afterDelete = await figures(page, measure);
  check('deleted, it counts nowhere', afterDelete.reached === before.reached && afterDelete.items === before.items && afterDelete.beneficiaries === before.beneficiaries, JSON.stringify(afterDelete));

  // A year's income by its parts.
  await page.goto(`${base}/households/${code}/plan`);
  await page.locator('[data-test=add-income]').click();
  await page.locator('[data-test=income-dialog]').waitFor();
  const year = 2019;
  await (await field(page, 'f-year')).fill(String(year));
  await (await field(page, 'f-year')).press('Tab');
  await (await field(page, 'f-persons')).fill('3');
  await (await field(page, 'f-persons')).press('Tab');
  await (await field(page, 'f-wage')).fill('10000');
  await (await field(page, 'f-production')).fill('5000.33');
  await (await field(page, 'f-transfer')).fill('2000');
  await (await field(page, 'f-production_costs')).fill('1000.01');
  await page.locator('[data-test=income-save]').click();
  await page.locator(`[data-test=income-${year}]`).waitFor();
  // (10000 + 5000.33 + 2000 − 1000.01) ÷ 3 = 5333.44 to the fen.
  check('income per head is computed from the parts to the fen', (await page.locator(`[data-test=income-${year}] [data-test=per-head]`).innerText()).includes('5,333.44'),
    await page.locator(`[data-test=income-${year}]`).innerText());
  const chart = await page.waitForSelector('[data-test=income-chart] canvas', { timeout: 20000 }).catch(() => null);
  check('the income chart is drawn', chart !== null);
  await page.screenshot({ path: path.join(shots, 'plan-page.png'), fullPage: true });

  // English.
  const en = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en' });
  const enPage = await login(en, 'officer');
  await enPage.evaluate(() => localStorage.setItem('jz.locale', 'en'));
  await enPage.goto(`${base}/households/${code}/plan`);
  await enPage.locator('[data-test=ledger]').waitFor();
  check('in English the page speaks English', (await enPage.innerText('[data-test=ledger]')).includes('Assistance ledger'));

  // A phone.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
  const p = await login(phone, 'officer');
  await p.goto(`${base}/households/${code}/plan`);
  await p.locator('[data-test=ledger]').waitFor();
  await p.locator(`[data-test=income-${year}]`).waitFor();
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check('at 390 px the plan page does not scroll sideways', overflow <= 1, String(overflow));
  check('at 390 px the income rows are stacked cards', (await p.locator(`[data-test=income-${year}]`).evaluate((e) => getComputedStyle(e).display)) === 'block');
  await p.screenshot({ path: path.join(shots, 'plan-page-390.png'), fullPage: true });
  await p.goto(`${base}/measures?unit=${township}`);
  await p.locator(`[data-test=measure-${measure}]`).waitFor();
  const overflowMeasures = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check('at 390 px the measures page does not scroll sideways', overflowMeasures <= 1, String(overflowMeasures));
  await p.screenshot({ path: path.join(shots, 'measures-390.png'), fullPage: true });

  // Print.
  await page.goto(`${base}/households/${code}/plan`);
  await page.locator('[data-test=ledger]').waitFor();
  await page.emulateMedia({ media: 'print' });
  check('print hides the buttons', !(await page.locator('[data-test=add-item]').isVisible()) && !(await page.locator('[data-test=print]').isVisible()));
  check('print keeps the ledger and the income', (await page.locator('[data-test=ledger]').isVisible()) && (await page.locator('[data-test=income]').isVisible()));
  await page.pdf({ path: path.join(shots, 'plan-page-print.pdf'), format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
} catch (e) {
  fail(e);
}
await finish('ledger e2e');
