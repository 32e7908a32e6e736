// End-to-end: periodic reports, issued reports, the submission schedule and printed documents
// (issue 17) on the demo county. Usage: node web/e2e/reports.e2e.mjs [path/to/jingzhun]
// (web/dist must be built). The county admin opens the periodic reports, picks the annual summary of
// the county for 2017 through the page's pickers and sees the document's sections as the API gives
// them; downloads its .xlsx (a download the browser saves) and PDF (status, type, attachment);
// issues it after the 2016 one (issued through the API), and a second issue of 2017 is refused with
// a link to the first; the issued report shows its hash, issue time and downloads, and the
// comparison with 2016 lists the changed figures; the submission schedule shows the API's items
// with their states in words; a household's clarity card is a PDF; a township's page downloads its
// township book (.xlsx, PDF) and a village's its clarity cards and register. 1280 and 390 px
// screenshots; at 390 px no page scrolls sideways (long tables scroll in their own box).
import path from 'node:path';
import { startDemo, shots } from './harness.mjs';

const { base, browser, check, fail, login, finish, getJson, postJson } = await startDemo(process.argv[2], 'jz-e2e-reports-');
const county = '540425';
const township = '540425100';
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// A file link: GET it as the signed-in context; status, content type and disposition checked.
async function fileCheck(context, href, type, what) {
  const res = await context.request.get(base + href);
  const headers = res.headers();
  const body = await res.body();
  check(`${what}: 200`, res.status() === 200, `${res.status()} ${href} ${res.status() === 200 ? '' : body.toString().slice(0, 200)}`);
  check(`${what}: ${type}`, (headers['content-type'] ?? '').startsWith(type), headers['content-type']);
  check(`${what}: sent as an attachment`, /attachment/.test(headers['content-disposition'] ?? ''), headers['content-disposition']);
  const magic = type === 'application/pdf' ? '%PDF' : 'PK';
  check(`${what}: the bytes are a ${type === 'application/pdf' ? 'PDF' : 'zip (.xlsx)'}`, body.subarray(0, magic.length).toString('latin1') === magic);
}
async function noSideways(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(`at 390 px ${what} does not scroll sideways`, overflow <= 1, String(overflow));
}
async function chooseOption(page, test, locator) {
  await page.locator(`[data-test=${test}]`).first().click();
  await page.locator(locator).first().click();
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  const page = await login(context, 'admin');

  // ---- The periodic page: the county's annual summary of 2017, picked through the form --------
  await page.goto(base + '/reports/periodic');
  await page.locator('[data-test=kind]').waitFor();
  await chooseOption(page, 'kind', '.el-select-dropdown__item:visible:has-text("年总结")');
  await chooseOption(page, 'unit-picker', `.el-select-dropdown__item[data-code="${county}"]:visible`);
  const year = page.locator('[data-test=period-year] input, input[data-test=period-year]').first();
  await year.click();
  await year.fill('2017');
  await year.press('Enter');
  await page.keyboard.press('Escape');
  const picked = await page.locator('[data-test=period-picker]').getAttribute('data-period');
  check('the period picker takes the year 2017', picked === '2017', picked);
  await page.locator('[data-test=query]').click();
  await page.waitForURL((u) => u.searchParams.get('kind') === 'annual' && u.searchParams.get('unit') === county);
  if (new URL(page.url()).searchParams.get('period') !== '2017') await page.goto(`${base}/reports/periodic?kind=annual&unit=${county}&period=2017`);
  await page.locator('[data-test=document]').waitFor();
  const api = (await getJson(context, `/api/reports/periodic?kind=annual&unit=${county}&period=2017&format=json`)).document;
  check('the API answers the annual summary of 2017', api.kind === 'annual' && api.period === '2017' && api.sections.length > 0, JSON.stringify(api).slice(0, 200));
  check('the page shows the document\'s title', (await page.innerText('[data-test=doc-title]')) === api.title_zh, await page.innerText('[data-test=doc-title]'));
  for (const s of api.sections) {
    const section = page.locator(`[data-test="section-${s.id}"]`);
    check(`the page shows the section ${s.id}`, (await section.count()) === 1 && (await section.locator('h3').innerText()) === s.title_zh);
    check(`the section ${s.id} has the API's rows`, (await section.locator('[data-test=doc-row]').count()) === s.rows.length);
  }
  const charted = api.sections.filter((s) => s.chart && s.rows.some((r) => !r.total));
  check('every section with a chart draws it', (await page.locator('[data-test=doc-chart] canvas').count()) >= charted.length, String(charted.length));
  await page.screenshot({ path: path.join(shots, 'reports-periodic.png'), fullPage: true });

  // Downloads: the .xlsx through the browser (a saved file), both by their links.
  const xlsxHref = await page.locator('[data-test=download-xlsx]').getAttribute('href');
  const pdfHref = await page.locator('[data-test=download-pdf]').getAttribute('href');
  check('the .xlsx link is the report as xlsx', xlsxHref === `/api/reports/periodic?kind=annual&unit=${county}&period=2017&format=xlsx`, xlsxHref);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=download-xlsx]').click()]);
  check('the browser saves the .xlsx', download.suggestedFilename().endsWith('.xlsx') && !(await download.failure()), download.suggestedFilename());
  await fileCheck(context, xlsxHref, xlsxType, 'the annual summary as .xlsx');
  await fileCheck(context, pdfHref, 'application/pdf', 'the annual summary as PDF');

  // ---- Issuing: 2016 first (through the API), then 2017 by the button; twice is refused ----------
  const first = await postJson(context, '/api/reports/issued', { kind: 'annual', unit: county, period: '2016' });
  check('the 2016 summary is issued with its hash', first.issued?.period === '2016' && /^[0-9a-f]{64}$/.test(first.issued?.hash ?? ''), JSON.stringify(first.issued));
  await page.locator('[data-test=issue]').click();
  await page.locator('[data-test=issue-confirm]').click();
  await page.locator('[data-test=issued-link]').waitFor();
  const issuedHref = await page.locator('[data-test=issued-link]').getAttribute('href');
  const id = Number(/\/reports\/issued\/(\d+)$/.exec(issuedHref ?? '')?.[1]);
  check('issuing links to the issued report', id > 0, issuedHref);
  await page.locator('[data-test=issued-list] [data-period="2017"]').waitFor();
  check('the issued list has 2016 and 2017', (await page.locator('[data-test=issued-list] [data-period="2016"]').count()) === 1);
  await page.locator('[data-test=issue]').click();
  await page.locator('[data-test=issue-confirm]').click();
  await page.locator('[data-test=already-issued]').waitFor();
  check('a second issue of 2017 is refused in words', (await page.innerText('[data-test=already-issued]')).includes('已发布'), await page.innerText('[data-test=already-issued]'));
  check('the refusal links to the one issued', (await page.locator('[data-test=already-link]').getAttribute('href')) === issuedHref);
  const listed = await getJson(context, `/api/reports/issued?unit=${county}&kind=annual`);
  check('the API lists the two issued summaries', listed.total >= 2 && listed.issued.some((m) => m.id === id) && listed.issued.some((m) => m.id === first.issued.id), JSON.stringify(listed).slice(0, 300));

  // ---- The issued report: frozen document, hash, time, downloads, the comparison -----------------
  await page.locator('[data-test=already-link]').click();
  await page.waitForURL(new RegExp(`/reports/issued/${id}$`));
  await page.locator('[data-test=issued-meta]').waitFor();
  const issued = await getJson(context, `/api/reports/issued/${id}?format=json`);
  check('the issued page shows the hash', (await page.innerText('[data-test=meta-hash]')) === issued.issued.hash);
  check('the issued page shows who issued it', (await page.innerText('[data-test=meta-issued-by]')) === issued.issued.issued_by);
  check('the issued page shows the time in Beijing', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(await page.innerText('[data-test=meta-issued-at]')));
  check('the issued page shows the frozen document', (await page.locator('[data-test=document] [data-test^=section-]').count()) >= issued.document.sections.length);
  await fileCheck(context, await page.locator('[data-test=download-pdf]').getAttribute('href'), 'application/pdf', 'the issued summary as PDF');
  await fileCheck(context, await page.locator('[data-test=download-xlsx]').getAttribute('href'), xlsxType, 'the issued summary as .xlsx');
  await page.locator('[data-test=compare]').click();
  await page.locator('[data-test=compare-result]').waitFor();
  const compared = await getJson(context, `/api/reports/issued/${id}/compare`);
  check('the comparison is with 2016', compared.previous.id === first.issued.id, JSON.stringify(compared.previous));
  if (compared.rows.length) {
    check('the comparison shows the changed figures', (await page.locator('[data-test=compare-row]').count()) === compared.rows.length);
    const changed = page.locator('[data-test=compare-row] [data-test=change]').first();
    check('a change is told in words beside its colour', /增加|减少/.test(await changed.innerText()), await changed.innerText());
  } else check('no change is said in words', (await page.locator('[data-test=no-changes]').count()) === 1);
  await page.screenshot({ path: path.join(shots, 'report-issued.png'), fullPage: true });

  // ---- The submission schedule ----------------------------------------------------------------
  await page.goto(`${base}/reports/due?unit=${county}`);
  await page.locator('[data-test=due]').waitFor();
  const beijingToday = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);  // the page's default as_of
  const due = await getJson(context, `/api/reports/due?unit=${county}&as_of=${beijingToday}`);
  // The page shows 200 rows at a time (DueReportsPage pageRows).
  check('the schedule shows the API\'s items', (await page.locator('[data-test=due-row]').count()) === Math.min(due.items.length, 200), `${due.items.length}`);
  const words = await page.locator('[data-test=due-row] [data-test=state]').allInnerTexts();
  check('each state is in words', words.every((w) => /已发布|待报送|逾期未报/.test(w)), words.slice(0, 5).join('|'));
  const ours = due.items.find((d) => d.kind === 'annual' && d.period === '2017' && d.unit_code === county);
  if (ours) check('the issued 2017 summary shows as issued with its link', ours.state === 'issued' && ours.issued_id === id, JSON.stringify(ours));
  await page.screenshot({ path: path.join(shots, 'reports-due.png'), fullPage: true });

  // ---- A household's clarity card; a township's book; a village's cards and register ----------
  const household = (await getJson(context, `/api/households?division=${township}&page_size=1`)).items[0];
  await page.goto(`${base}/households/${household.household_code}`);
  await page.locator('[data-test=card-link]').waitFor();
  await fileCheck(context, await page.locator('[data-test=card-link]').getAttribute('href'), 'application/pdf', 'the household\'s clarity card');
  check('the household page links its village', (await page.locator('[data-test=village-link]').getAttribute('href')) === `/units/${household.division_code}`);

  await page.goto(`${base}/units/${township}`);
  await page.locator('[data-test=downloads]').waitFor();
  check('the township page names the township', (await page.innerText('[data-test=unit-name]')).length > 0);
  check('the township page lists its villages', (await page.locator('[data-test=children] a').count()) > 0);
  await fileCheck(context, await page.locator('[data-test=download-book-xlsx]').getAttribute('href'), xlsxType, 'the township book as .xlsx');
  await fileCheck(context, await page.locator('[data-test=download-book-pdf]').getAttribute('href'), 'application/pdf', 'the township book as PDF');
  await page.screenshot({ path: path.join(shots, 'unit-township.png'), fullPage: true });
  await page.locator(`[data-test=child-${household.division_code}]`).click();
  await page.waitForURL(new RegExp(`/units/${household.division_code}$`));
  await page.locator('[data-test=download-cards]').waitFor();
  await fileCheck(context, await page.locator('[data-test=download-cards]').getAttribute('href'), 'application/pdf', 'the village\'s clarity cards');
  await fileCheck(context, await page.locator('[data-test=download-register-xlsx]').getAttribute('href'), xlsxType, 'the village register as .xlsx');

  // ---- 390 px ------------------------------------------------------------------------------
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
  const p = await login(phone, 'admin');
  const pagesAt390 = [
    [`/reports/periodic?kind=annual&unit=${county}&period=2017`, 'document', 'the periodic report', 'reports-periodic-390.png'],
    [`/reports/issued/${id}`, 'issued-meta', 'the issued report', 'report-issued-390.png'],
    [`/reports/due?unit=${county}`, 'due', 'the submission schedule', 'reports-due-390.png'],
    [`/units/${township}`, 'downloads', 'the township page', 'unit-township-390.png'],
  ];
  for (const [route, test, what, shot] of pagesAt390) {
    await p.goto(base + route);
    await p.locator(`[data-test=${test}]`).waitFor();
    await p.waitForTimeout(300);
    await noSideways(p, what);
    await p.screenshot({ path: path.join(shots, shot), fullPage: true });
  }
} catch (e) {
  fail(e);
}
await finish('reports e2e');
