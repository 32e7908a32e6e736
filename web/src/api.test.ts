import { describe, expect, it } from 'vitest';
import { ApiError, errorOf, query } from './api';

describe('errorOf', () => {
  it('keeps the server message and fields', async () => {
    const res = new Response(
      JSON.stringify({ error: { code: 'household.invalid', message: '户信息有误 / invalid', fields: [{ field: 'members[0].id_number', code: 'id_number.check_digit', reason: '校验位错误 / check digit' }] } }),
      { status: 400 },
    );
    const e = await errorOf(res);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(400);
    expect(e.message).toBe('户信息有误 / invalid');
    expect(e.fieldReason('members[0].id_number')).toBe('校验位错误 / check digit');
    expect(e.fieldReason('name')).toBeUndefined();
  });
  it('words a response that is not JSON', async () => {
    const e = await errorOf(new Response('<html>', { status: 502 }));
    expect(e.code).toBe('http.502');
    expect(e.message).toContain('502');
  });
});

describe('query', () => {
  it('leaves out empty values', () => {
    expect(query({ a: 1, b: '', c: undefined, d: 'x y' })).toBe('?a=1&d=x+y');
    expect(query({})).toBe('');
  });
});
