import { describe, expect, it } from 'vitest';
import { base64Bytes, scaledSize } from './fieldPhoto';

describe('field photo', () => {
  it('scales the longer side to 1600 px, never up', () => {
    expect(scaledSize(4000, 3000)).toEqual({ width: 1600, height: 1200 });
    expect(scaledSize(3000, 4000)).toEqual({ width: 1200, height: 1600 });
    expect(scaledSize(800, 600)).toEqual({ width: 800, height: 600 });
    expect(scaledSize(2400, 1800, 1000)).toEqual({ width: 1000, height: 750 });
  });
  it('counts the bytes of base64', () => {
    expect(base64Bytes(btoa('abc'))).toBe(3);
    expect(base64Bytes(btoa('abcd'))).toBe(4);
    expect(base64Bytes(btoa('abcde'))).toBe(5);
  });
});
