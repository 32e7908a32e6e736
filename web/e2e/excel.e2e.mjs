// End-to-end (issue 13, "Excel that behaves like Excel"): the household list's filtered export is an
// .xlsx holding exactly the filtered households, with numbers as number cells; the import page's
// template downloads; an import's error file names the column as the file names it (证件号码).
// Usage: node web/e2e/excel.e2e.mjs [path/to/jingzhun]   (web/dist must be built)
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { startDemo, shots } from './harness.mjs';

const { base, browser, tmp, check, fail, login, finish } = await startDemo(process.argv[2], 'jz-e2e-excel-');

// A part of an .xlsx, read with Debian's unzip.
const part = (file, name) => execFileSync('unzip', ['-p', file, name], { maxBuffer: 256 << 20 }).toString('utf8');
// The sheet's rows as arrays of { ref, type, style, text }: inline strings, shared strings are not used.
function rowsOf(sheet) {
  const rows = [];
  for (const [, body] of sheet.matchAll(/<row [^>]*>(.*?)<\/row>/gs)) {
    const cells = [];
    for (const [, attrs, inner] of body.matchAll(/<c ([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
      const ref = /r="([A-Z]+)\d+"/.exec(attrs)[1];
      const type = /t="(\w+)"/.exec(attrs)?.[1] ?? 'n';
      const text = /<t[^>]*>(.*?)<\/t>/s.exec(inner ?? '')?.[1] ?? /<v>(.*?)<\/v>/.exec(inner ?? '')?.[1] ?? '';
      cells.push({ ref, type, text });
    }
    rows.push(cells);
  }
  return rows;
}
const cell = (row, col) => row.find((c) => c.ref === col);

try {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', acceptDownloads: true });
  const page = await login(context, 'admin');

  // The household list, filtered by a township and a status, exported from its own button.
  const township = '540425100';
  const filter = `division=${township}&status=0`;
  const listed = await (await context.request.get(`${base}/api/households?${filter}&page_size=1`)).json();
  await page.goto(`${base}/households?${filter}`);
  await page.waitForSelector('[data-test=households] tbody tr');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export-filter-xlsx]')]);
  const file = path.join(tmp, 'filtered.xlsx');
  await download.saveAs(file);
  const rows = rowsOf(part(file, 'xl/worksheets/sheet1.xml'));
  const header = rows[0].map((c) => c.text);
  const col = (name) => rows[0][header.indexOf(name)]?.ref;
  check('the export has the names beside the division code',
    header[1] === '行政区划代码' && header[2] === '乡镇名称' && header[3] === '村名称', header.slice(0, 5).join(','));
  const codes = new Set(rows.slice(1).map((r) => cell(r, 'A')?.text));
  check('the export holds exactly the filtered households', codes.size === listed.total && listed.total > 0,
    `${codes.size} in the file, ${listed.total} in the list`);
  check('every exported household is in the township',
    rows.slice(1).every((r) => cell(r, col('行政区划代码'))?.text.startsWith(township)));
  check('every exported household has the filtered status',
    rows.slice(1).every((r) => cell(r, col('脱贫状态'))?.text.startsWith('未脱贫')));
  const incomes = rows.slice(1).map((r) => cell(r, col('年人均纯收入'))).filter(Boolean);
  check('income is in number cells, exact to the fen', incomes.length > 0 && incomes.every((c) => c.type === 'n' && /^\d+(\.\d{1,2})?$/.test(c.text)),
    JSON.stringify(incomes.slice(0, 3)));
  const ids = rows.slice(1).map((r) => cell(r, col('证件号码')));
  check('ID numbers stay text', ids.every((c) => c && c.type !== 'n' && c.text.length === 18));
  const sheet = part(file, 'xl/worksheets/sheet1.xml');
  check('the header row is filtered and frozen', /<autoFilter ref="A1:/.test(sheet) && /state="frozen"/.test(sheet));

  // The import page: the template and the format help.
  await page.goto(`${base}/import`);
  await page.waitForSelector('[data-test=format-help]');
  check('the import page explains the format', (await page.innerText('[data-test=format-help]')).includes('证件号码'));
  const [template] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=template-xlsx]')]);
  const templateFile = path.join(tmp, 'template.xlsx');
  await template.saveAs(templateFile);
  const templateRows = rowsOf(part(templateFile, 'xl/worksheets/sheet1.xml'));
  check('the template is the header row only', templateRows.length === 1 && templateRows[0][0].text === '户编号' &&
    templateRows[0].some((c) => c.text === '证件号码'), String(templateRows.length));

  // An import with a bad ID number: the error file names 证件号码.
  const csv = await (await context.request.get(`${base}/api/exports/registry.csv?division=540425100001`)).text();
  const lines = csv.trimEnd().split('\r\n');
  const idAt = lines[0].split(',').indexOf('证件号码');
  const cells = lines[1].split(',');
  cells[idAt] = cells[idAt].slice(0, 17) + (cells[idAt][17] === '1' ? '2' : '1');  // a wrong check digit
  const bad = path.join(tmp, 'bad-id.csv');
  writeFileSync(bad, [lines[0], cells.join(','), ...lines.slice(2)].join('\r\n') + '\r\n');
  await page.setInputFiles('[data-test=file]', bad);
  await page.click('[data-test=upload]');
  await page.waitForSelector('[data-test=summary]', { timeout: 30000 });
  check('the household with the bad ID number is rejected', Number(await page.innerText('[data-test=rejected]')) === 1);
  const href = await page.getAttribute('[data-test=errors-link]', 'href');
  const errors = await (await context.request.get(base + href)).text();
  const errorRows = errors.replace(/^\uFEFF/, '').trimEnd().split('\r\n').map((l) => l.split(','));
  const fieldAt = errorRows[0].indexOf('错误字段');
  check('the error file names the column 证件号码', fieldAt > 0 && errorRows.slice(1).some((r) => r[fieldAt] === '证件号码'),
    errorRows.slice(1).map((r) => r[fieldAt]).join(' | '));
  const pageFields = await page.locator('[data-test=summary] tbody tr td:nth-child(3)').allInnerTexts();
  check('the import page names the field as the file does (证件号码, not id_number)',
    pageFields.some((f) => f.trim() === '证件号码') && !pageFields.some((f) => f.includes('id_number')), pageFields.join(' | '));
  await page.screenshot({ path: path.join(shots, 'import-template.png'), fullPage: true });
} catch (e) {
  fail(e);
}
await finish('excel e2e');
