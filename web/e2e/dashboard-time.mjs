// How long the battle map takes to first render against a given server, in Chromium.
// Usage: node e2e/dashboard-time.mjs BASE_URL USERNAME PASSWORD [RUNS]
import { chromium } from 'playwright-core';

const [base, username, password, runs = '3'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-sync', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
await page.goto(base + '/login');
await page.fill('input[name=username]', username);
await page.fill('input[name=password]', password);
await page.click('button[type=submit]');
await page.waitForURL((u) => !u.pathname.startsWith('/login'));
const times = [];
for (let i = 0; i < Number(runs); i++) {
  await page.goto(base + '/');
  await page.waitForFunction(() => window.__jzDashboardMs !== undefined, null, { timeout: 60000 });
  times.push(await page.evaluate(() => window.__jzDashboardMs));
}
console.log('dashboard first render, ms: ' + times.map((t) => t.toFixed(0)).join(', '));
await browser.close();
