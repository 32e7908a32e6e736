import { afterEach, describe, expect, it, vi } from 'vitest';
import { dynamicApi } from './dynamicApi';

// Records each request and answers `body`.
function recorder(body: unknown = {}, status = 200) {
  const calls: { url: string; method: string; body: unknown }[] = [];
  vi.stubGlobal('fetch', vi.fn((url: string, init: RequestInit) => {
    calls.push({ url, method: init.method ?? 'GET', body: init.body ? JSON.parse(String(init.body)) : undefined });
    return Promise.resolve(new Response(JSON.stringify(body), { status }));
  }));
  return calls;
}

afterEach(() => vi.unstubAllGlobals());

describe('dynamic API', () => {
  it('asks for exit candidates with the set filters only', async () => {
    const calls = recorder();
    await dynamicApi.exitCandidates({ year: 2017, division: '540425100', which: 'not_ready', offset: 50, limit: 50 });
    await dynamicApi.exitCandidates({ year: 2018, division: '' });
    expect(calls[0].url).toBe('/api/exit-candidates?year=2017&division=540425100&which=not_ready&offset=50&limit=50');
    expect(calls[1].url).toBe('/api/exit-candidates?year=2018');
  });
  it('lists procedures, open or closed as words', async () => {
    const calls = recorder({ total: 0, items: [], waiting: [] });
    await dynamicApi.procedures({ kind: 'exit', open: true, year: 2017, offset: 0, limit: 50 });
    await dynamicApi.procedures({ open: false, household: '5404251001010001' });
    await dynamicApi.procedures({ open: '' });
    expect(calls.map((c) => c.url)).toEqual([
      '/api/procedures?kind=exit&open=true&year=2017&offset=0&limit=50',
      '/api/procedures?open=false&household=5404251001010001',
      '/api/procedures',
    ]);
  });
  it('posts steps, cases and approvals to their routes', async () => {
    const calls = recorder({ id: 7 });
    await dynamicApi.step(7, { step: 'appraise', date: '2017-03-02', outcome: 'passed', version: 2 });
    await dynamicApi.open({ kind: 'exit', household_code: '5404251001010001', year: 2017, date: '2017-03-01' });
    await dynamicApi.approveAdjustment(2017, { date: '2017-12-31', notes: '' });
    await dynamicApi.setPopulation('540425100', 2017, 4321);
    await dynamicApi.verdict(3, '5404251001010001', { verdict: 'wrongful', notes: 'n' });
    await dynamicApi.survey(3, { missed_found: 1 });
    await dynamicApi.incidence(2017);
    await dynamicApi.timeline('5404251001010001');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST /api/procedures/7/steps',
      'POST /api/procedures',
      'POST /api/adjustments/2017/approve',
      'PUT /api/org-units/540425100/population',
      'PUT /api/evaluations/3/items/5404251001010001',
      'PATCH /api/evaluations/3',
      'GET /api/incidence?year=2017',
      'GET /api/households/5404251001010001/timeline',
    ]);
    expect(calls[0].body).toEqual({ step: 'appraise', date: '2017-03-02', outcome: 'passed', version: 2 });
    expect(calls[3].body).toEqual({ year: 2017, rural_population: 4321 });
  });
  it('carries a refusal in the server’s words', async () => {
    recorder({ error: { code: 'procedure.notice_period', message: '公示期未满 / the notice period has not ended', fields: [{ field: 'date', code: 'procedure.notice_period', reason: '公示期未满 / the notice period has not ended' }] } }, 409);
    await expect(dynamicApi.step(7, { step: 'announce', date: '2017-03-02' })).rejects.toMatchObject({
      status: 409,
      code: 'procedure.notice_period',
      message: '公示期未满 / the notice period has not ended',
    });
  });
});
