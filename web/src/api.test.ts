import { describe, expect, it } from 'vitest';
import { ApiError, errorOf, query } from './api';
import { i18n } from './i18n';

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
  it('says the message and reasons in the chosen language when the server sends both', async () => {
    const body = JSON.stringify({ error: { code: 'household.invalid', message: '户信息有误 / invalid', message_zh: '户信息有误', message_en: 'invalid',
      fields: [{ field: 'name', code: 'name.empty', reason: '不能为空 / must not be empty', reason_zh: '不能为空', reason_en: 'must not be empty' }] } });
    const locale = i18n.global.locale as unknown as { value: string };
    const before = locale.value;
    try {
      locale.value = 'zh-CN';
      let e = await errorOf(new Response(body, { status: 400 }));
      expect(e.message).toBe('户信息有误');
      expect(e.fieldReason('name')).toBe('不能为空');
      locale.value = 'en';
      e = await errorOf(new Response(body, { status: 400 }));
      expect(e.message).toBe('invalid');
      expect(e.fieldReason('name')).toBe('must not be empty');
    } finally {
      locale.value = before;
    }
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
