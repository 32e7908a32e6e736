import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { useSession } from './session';
import { useReference } from './reference';
import { catalog, code } from '../testing/catalog';

function answer(status: number, body: unknown) {
  return Promise.resolve(new Response(JSON.stringify(body), { status }));
}

describe('session store', () => {
  beforeEach(() => setActivePinia(createPinia()));
  it('keeps the user after a login and forgets it after a logout', async () => {
    const me = { username: 'officer', role: 'officer', scope: '540425100' };
    const fetch = vi.fn((url: string) => (url === '/api/login' ? answer(200, me) : answer(200, {})));
    vi.stubGlobal('fetch', fetch);
    const s = useSession();
    await s.login('officer', 'secret-password');
    expect(s.me?.username).toBe('officer');
    await s.logout();
    expect(s.me).toBeNull();
  });
  it('reports a refused login with the server message', async () => {
    vi.stubGlobal('fetch', vi.fn(() => answer(401, { error: { code: 'auth.invalid', message: '用户名或密码错误 / wrong', fields: [] } })));
    await expect(useSession().login('x', 'y')).rejects.toThrow('用户名或密码错误 / wrong');
  });
  it('knows no user when /api/me answers 401', async () => {
    vi.stubGlobal('fetch', vi.fn(() => answer(401, { error: { code: 'auth.required', message: 'm', fields: [] } })));
    const s = useSession();
    await s.load();
    expect(s.me).toBeNull();
    expect(s.checked).toBe(true);
  });
});

describe('reference store', () => {
  beforeEach(() => setActivePinia(createPinia()));
  it('names codes and measures', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn((url: string) =>
        url === '/api/codes'
          ? answer(200, catalog)
          : answer(200, { measures: [{ number: 5, name: '教育扶贫' }], battles: [], townships: [] }),
      ),
    );
    const r = useReference();
    await r.load();
    expect(r.name('status', code('status', '未脱贫'))).toBe('未脱贫');
    expect(r.name('status', 999)).toBe('999');
    expect(r.measureName(5)).toBe('教育扶贫');
  });
});
