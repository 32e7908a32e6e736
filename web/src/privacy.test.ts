import { describe, expect, it } from 'vitest';
import { birthLabelKey, birthShown } from './privacy';

describe('masked persons', () => {
  it('shows the birth date, or the year a masked user is given', () => {
    expect(birthShown({ birth_date: '1993-07-13' })).toBe('1993-07-13');
    expect(birthShown({ birth_year: 1993 })).toBe('1993');
    expect(birthShown({ birth_year: null })).toBe('');
    expect(birthShown({})).toBe('');
  });
  it('labels the column by what it holds', () => {
    expect(birthLabelKey(true)).toBe('hh.birthYear');
    expect(birthLabelKey(false)).toBe('hh.birth');
    expect(birthLabelKey(undefined)).toBe('hh.birth');
  });
});
