// The rules as the server publishes them (testing/catalog.json is its answer, kept equal by a C++
// test), read through rules.ts.
import { describe, expect, it } from 'vitest';
import {
  actsAt, hasExited, headLeaves, identifiedStatus, isCountyWriter, mayExit, mayWrite, memberLeaves, outcomeChoices, procedureKinds, procedureStates, takesExclusions,
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
