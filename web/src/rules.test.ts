// The rules as the server publishes them (testing/catalog.json is its answer, kept equal by a C++
// test), read through rules.ts.
import { describe, expect, it } from 'vitest';
import {
  actsAt, codeName, dateAllowed, earliestStepDate, hasExited, headLeaves, identifiedStatus, isCountyWriter, langOf, mayExit, mayWrite, memberLeaves, outcomeChoices, outcomeTells,
  procedureKinds, procedureStates, reconcileKindName, ruleName, severityName, stepDateBounds, tableLabel, takesExclusions,
} from './rules';
import { actingAt, catalog, code } from './testing/catalog';

describe('step forms', () => {
  it('offers an outcome only where a step can fail', () => {
    expect(outcomeChoices(catalog, 'new_identification', 'applied', 'appraise')).toEqual(['passed', 'rejected']);
    expect(outcomeChoices(catalog, 'new_identification', 'second_notice', 'approve')).toEqual(['passed', 'rejected']);
    expect(outcomeChoices(catalog, 'exit', 'verified', 'agree')).toEqual(['agreed', 'disagreed']);
    expect(outcomeChoices(catalog, 'exit', 'agreed', 'notice')).toEqual([]);
    expect(outcomeChoices(catalog, 'exit', 'notice', 'announce')).toEqual([]);
    expect(outcomeChoices(null, 'exit', 'verified', 'agree')).toEqual([]);
  });
  it('asks for exclusions at the verification of a new identification only', () => {
    expect(takesExclusions(catalog, 'new_identification', 'appraised', 'verify')).toBe(true);
    expect(takesExclusions(catalog, 'exit', 'appraised', 'verify')).toBe(false);
    expect(takesExclusions(catalog, 'new_identification', 'first_notice', 'review')).toBe(false);
    expect(catalog.exclusions.map((x) => x.id)).toContain('public_payroll');
  });
  it('lists the kinds and every state once', () => {
    expect(procedureKinds(catalog)).toEqual(['new_identification', 'exit', 'fallback', 'deregistration', 'member_change', 'buffer_end']);
    const states = procedureStates(catalog);
    expect(new Set(states).size).toBe(states.length);
    for (const s of ['applied', 'registered', 'proposed', 'exited', 'rejected', 'done']) expect(states).toContain(s);
  });
});

describe('who may act', () => {
  const me = (write: boolean) => ({ permissions: { write_households: write, manage_users: false, read_audit: false, run_checks: false, masked: false } });
  it('lets accounts that may write write', () => {
    expect(mayWrite(me(true))).toBe(true);
    expect(mayWrite(me(false))).toBe(false);
    expect(mayWrite(null)).toBe(false);
  });
  it('acts at the levels the server names', () => {
    expect(actsAt(catalog, 'county')).toBe(true);  // the fixture is a county administrator's
    expect(isCountyWriter(catalog)).toBe(true);
    const township = actingAt(['village', 'township']);
    expect(actsAt(township, 'township')).toBe(true);
    expect(actsAt(township, 'county')).toBe(false);
    expect(isCountyWriter(township)).toBe(false);
    expect(actsAt(actingAt([]), 'village')).toBe(false);
    expect(actsAt(null, 'village')).toBe(false);
  });
});

describe('codes the rules act on', () => {
  it('tells departures from arrivals', () => {
    for (const n of ['死亡', '嫁出', '出国定居', '判刑收监', '其他转出']) expect(memberLeaves(catalog, code('member_change', n))).toBe(true);
    for (const n of ['嫁入', '新生儿', '其他转入']) expect(memberLeaves(catalog, code('member_change', n))).toBe(false);
    expect(memberLeaves(catalog, null)).toBe(false);
  });
  it('knows the head', () => {
    const members = [{ id_number: 'H', relation: code('relation', '本人或户主') }, { id_number: 'S', relation: code('relation', '配偶') }];
    expect(headLeaves(catalog, members, 'H')).toBe(true);
    expect(headLeaves(catalog, members, 'S')).toBe(false);
    expect(headLeaves(catalog, members, 'X')).toBe(false);
  });
  it('knows which households may exit, which have exited, and a new one’s status', () => {
    expect(mayExit(catalog, code('status', '未脱贫'))).toBe(true);
    expect(mayExit(catalog, code('status', '返贫'))).toBe(true);
    expect(mayExit(catalog, code('status', '已脱贫(享受政策)'))).toBe(false);
    expect(hasExited(catalog, code('status', '已脱贫(享受政策)'))).toBe(true);
    expect(hasExited(catalog, code('status', '已脱贫(不再享受政策)'))).toBe(true);
    expect(hasExited(catalog, code('status', '返贫'))).toBe(false);
    expect(identifiedStatus(catalog)).toBe(code('status', '未脱贫'));
  });
});

describe('names in the chosen language', () => {
  it('names codes in Chinese or English, the number when unknown', () => {
    const notExited = code('status', '未脱贫');
    expect(codeName(catalog, 'status', notExited, 'zh')).toBe('未脱贫');
    expect(codeName(catalog, 'status', notExited, 'en')).toBe('Not exited');
    expect(codeName(catalog, 'cause', code('cause', '因病'), 'en')).toBe('Illness');
    expect(codeName(catalog, 'status', 77, 'en')).toBe('77');
    expect(codeName(catalog, 'status', null, 'en')).toBe('');
    expect(tableLabel(catalog, 'relation', 'en')).toBe('Relation to the head');
    expect(tableLabel(catalog, 'relation', 'zh')).toBe('与户主关系');
  });
  it('has an English name for every code of every table', () => {
    for (const [table, value] of Object.entries(catalog) as [string, unknown][]) {
      const entries = (value as { entries?: { code: number; name_en: string }[] } | null)?.entries;
      if (!Array.isArray(entries)) continue;
      for (const e of entries) expect(e.name_en, `${table} ${e.code}`).not.toBe('');
    }
  });
  it('names data-quality rules and severities, never by their ids', () => {
    expect(catalog.check_rules.length).toBeGreaterThan(10);
    for (const r of catalog.check_rules) {
      expect(ruleName(catalog, r.id, 'zh')).not.toBe(r.id);
      expect(ruleName(catalog, r.id, 'zh')).toMatch(/[\u4e00-\u9fff]/);
      expect(ruleName(catalog, r.id, 'en')).not.toBe(r.id);
      expect(['error', 'warning']).toContain(r.severity);
    }
    expect(ruleName(catalog, 'person.duplicate', 'zh')).toContain('一人多户');
    expect(severityName(catalog, 'error', 'zh')).toBe('错误');
    expect(severityName(catalog, 'warning', 'en')).toBe('Warning');
    expect(ruleName(catalog, 'no.such_rule', 'zh')).toBe('no.such_rule');
  });
  it('names the reconciliation kinds', () => {
    for (const k of ['plan_total_mismatch', 'registry_vs_target', 'measure_vs_target', 'exits_behind_target']) {
      expect(reconcileKindName(catalog, k, 'zh')).toMatch(/[\u4e00-\u9fff]/);
      expect(reconcileKindName(catalog, k, 'en')).not.toBe(k);
    }
  });
  it('reads the locale', () => {
    expect(langOf('en')).toBe('en');
    expect(langOf('zh-CN')).toBe('zh');
    expect(langOf(undefined)).toBe('zh');
  });
});

describe('step dates', () => {
  const step = (date: string) => ({ date });
  it('starts a step no earlier than the last one', () => {
    const c = { kind: 'exit', state: 'proposed', steps: [step('2017-03-01')], notice_until: null };
    const b = stepDateBounds(catalog, c, 'appraise');
    expect(b).toEqual({ min: '2017-03-01', max: null });
    expect(earliestStepDate(b, '2026-12-06')).toBe('2017-03-01');
    expect(dateAllowed(b, '2017-02-28')).toBe(false);
    expect(dateAllowed(b, '2017-03-01')).toBe(true);
  });
  it('waits for the end of a notice, and takes objections only during it', () => {
    const c = { kind: 'exit', state: 'notice', steps: [step('2017-03-01'), step('2017-03-10')], notice_until: '2017-03-16' };
    const after = stepDateBounds(catalog, c, 'announce');
    expect(after).toEqual({ min: '2017-03-17', max: null });
    expect(earliestStepDate(after, '2026-12-06')).toBe('2017-03-17');
    expect(dateAllowed(after, '2017-03-12')).toBe(false);
    expect(dateAllowed(after, '2017-03-16')).toBe(false);
    expect(dateAllowed(after, '2017-03-17')).toBe(true);
    const during = stepDateBounds(catalog, c, 'object');
    expect(during).toEqual({ min: '2017-03-10', max: '2017-03-16' });
    expect(dateAllowed(during, '2017-03-17')).toBe(false);
    expect(dateAllowed(during, '2017-03-12')).toBe(true);
  });
  it('starts on today when nothing bounds the date', () => {
    expect(earliestStepDate({ min: null, max: null }, '2026-12-06')).toBe('2026-12-06');
  });
});

describe('step outcomes', () => {
  it('shows an outcome only when it says more than the step', () => {
    expect(outcomeTells(catalog, 'exit', '', 'propose', 'passed')).toBe(false);
    expect(outcomeTells(catalog, 'exit', 'proposed', 'appraise', 'passed')).toBe(false);
    expect(outcomeTells(catalog, 'exit', 'proposed', 'appraise', 'rejected')).toBe(true);
    expect(outcomeTells(catalog, 'exit', 'verified', 'agree', 'agreed')).toBe(false);
    expect(outcomeTells(catalog, 'exit', 'verified', 'agree', 'disagreed')).toBe(true);
    expect(outcomeTells(catalog, 'exit', 'notice', 'object', 'objection')).toBe(true);
    expect(outcomeTells(catalog, 'fallback', '', 'record', 'recorded')).toBe(false);
    expect(outcomeTells(catalog, 'exit', 'agreed', 'notice', '')).toBe(false);
  });
});
