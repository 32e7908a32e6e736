import { describe, expect, it } from 'vitest';
import { reactive } from 'vue';
import { householdChanges, plainCopy, shown, type Namer } from './householdSheet';
import { catalog, code } from './testing/catalog';

const namer: Namer = {
  code: (table, c) => catalog[table].entries.find((e) => e.code === c)?.name ?? String(c),
  measure: (n) => `${n}. 措施${n}`,
  yes: '是',
  no: '否',
};

describe('plainCopy', () => {
  it('copies a reactive household deeply, so editing the copy leaves the original alone', () => {
    const original = reactive({ net_income_per_head: '3000.00', members: [{ name: '甲', id_number: '1' }] });
    // structuredClone refuses Vue's proxies (DataCloneError); the copy must not.
    expect(() => structuredClone(original)).toThrow();
    const copy = plainCopy(original);
    copy.net_income_per_head = '9999.00';
    copy.members[0].name = '乙';
    expect(original.net_income_per_head).toBe('3000.00');
    expect(original.members[0].name).toBe('甲');
  });
});

describe('shown', () => {
  it('names codes, joins lists, says yes/no and – for empty', () => {
    expect(shown({ table: 'status' }, code('status', '未脱贫'), namer)).toBe('未脱贫');
    expect(shown({ table: 'cause' }, [code('cause', '因病'), code('cause', '缺技术')], namer)).toBe('因病、缺技术');
    expect(shown('bool', true, namer)).toBe('是');
    expect(shown('bool', false, namer)).toBe('否');
    expect(shown('text', undefined, namer)).toBe('–');
    expect(shown('text', '', namer)).toBe('–');
    expect(shown({ table: 'cause' }, [], namer)).toBe('–');
    expect(shown('measure', 3, namer)).toBe('3. 措施3');
  });
});

describe('householdChanges', () => {
  const before = {
    household_code: '5404251001010001', status: code('status', '未脱贫'), net_income_per_head: '2800.00', phone: '',
    members: [{ name: '甲', id_number: 'A', health: code('health', '健康') }, { name: '乙', id_number: 'B' }],
  };
  it('lists changed fields with old and new values, codes by name', () => {
    const after = { ...before, status: code('status', '已脱贫(享受政策)'), net_income_per_head: '4200.00', phone: '13800000000', members: before.members };
    const changes = householdChanges(before, after, namer);
    expect(changes.map((c) => [c.key, c.before, c.after])).toEqual([
      ['status', '未脱贫', '已脱贫(享受政策)'],
      ['net_income_per_head', '2800.00', '4200.00'],
      ['phone', '–', '13800000000'],
    ]);
  });
  it('follows members by ID number: a changed field, one who joined, one who left', () => {
    const after = { ...before, members: [{ name: '甲', id_number: 'A', health: code('health', '长期慢性病') }, { name: '丙', id_number: 'C' }] };
    const changes = householdChanges(before, after, namer);
    expect(changes).toEqual([
      { field: 'members[0].health', key: 'health', member: '甲', before: '健康', after: '长期慢性病' },
      { field: 'members[+1]', key: 'members', member: '丙', before: '–', after: '丙' },
      { field: 'members[-1]', key: 'members', member: '乙', before: '乙', after: '–' },
    ]);
  });
  it('sees an ID number corrected in place as a change of that member', () => {
    const after = { ...before, members: [before.members[0], { name: '乙', id_number: 'B2' }] };
    expect(householdChanges(before, after, namer)).toEqual([{ field: 'members[1].id_number', key: 'id_number', member: '乙', before: 'B', after: 'B2' }]);
  });
  it('finds nothing when nothing changed', () => {
    expect(householdChanges(before, plainCopy(before), namer)).toEqual([]);
  });
});
