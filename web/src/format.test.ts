import { describe, expect, it } from 'vitest';
import { beijingTime, beijingToday } from './format';

describe('beijingTime', () => {
  it('shows UTC instants in UTC+8', () => {
    expect(beijingTime('2017-03-01T16:05:09Z')).toBe('2017-03-02 00:05');
    expect(beijingTime('2017-03-01T16:05:09Z', true)).toBe('2017-03-02 00:05:09');
    expect(beijingTime('2017-03-01T10:00:00+08:00')).toBe('2017-03-01 10:00');
  });
  it('reads a zoneless SQLite time as UTC', () => {
    expect(beijingTime('2017-12-31 20:00:00')).toBe('2018-01-01 04:00');
  });
  it('leaves what is not a time alone', () => {
    expect(beijingTime('')).toBe('');
    expect(beijingTime(null)).toBe('');
    expect(beijingTime('soon')).toBe('soon');
  });
  it('turns the day at Beijing midnight', () => {
    expect(beijingToday(new Date('2017-06-30T16:30:00Z'))).toBe('2017-07-01');
    expect(beijingToday(new Date('2017-06-30T15:30:00Z'))).toBe('2017-06-30');
  });
});
