import 'fake-indexeddb/auto';
import { describe, expect, it, beforeEach } from 'vitest';
import {
  backoffMs, confirmAnyway, discard, enqueue, listKits, listQueue, loadKit, openFieldDb, saveKit, syncQueue, uploadBody,
  type FieldDatabase, type NewVisit,
} from './fieldQueue';

let db: FieldDatabase;
let n = 0;
beforeEach(async () => {
  db = await openFieldDb('test-' + ++n);
});

const visit = (code = '540000000001001'): NewVisit => ({
  household_code: code, cadre_id: 7, date: '2017-05-02', discussed: '了解收入', done: '', place: null, photo: null, household_version: 3,
});

// A server that records client ids once, like POST /api/visits.
function fakeServer() {
  const recorded = new Map<string, Record<string, unknown>>();
  const calls: Record<string, unknown>[] = [];
  let mode: 'ok' | 'offline' | 'unauthorized' | 'changed' | 'invalid' | 'error' = 'ok';
  const fetchFn = async (_url: string, init: RequestInit) => {
    if (mode === 'offline') throw new TypeError('Failed to fetch');
    const body = JSON.parse(String(init.body));
    calls.push(body);
    const json = (status: number, b: unknown) => new Response(JSON.stringify(b), { status, headers: { 'Content-Type': 'application/json' } });
    if (mode === 'unauthorized') return json(401, { error: { code: 'auth.required', message: '请登录' } });
    if (mode === 'error') return json(503, { error: { code: 'store.busy', message: 'busy' } });
    if (mode === 'invalid') return json(400, { error: { code: 'visit.invalid', message: '有误', fields: [{ field: 'date', reason: '日期有误' }] } });
    if (mode === 'changed' && !body.confirm_changed)
      return json(409, { error: { code: 'visit.household_changed', message: '户已变更' }, household: { household_code: body.household_code, version: 5, head_name: '张三' } });
    if (recorded.has(body.client_id)) return json(200, { visit: { id: 1 }, inserted: false });
    recorded.set(body.client_id, body);
    return json(201, { visit: { id: recorded.size }, inserted: true });
  };
  return { recorded, calls, fetchFn, set: (m: typeof mode) => (mode = m) };
}

describe('field queue', () => {
  it('keeps kits per cadre', async () => {
    await saveKit(db, { cadre: { id: 7, name: '李四' }, households: [{ household_code: 'x', version: 1 }] }, 1000);
    expect((await loadKit(db, 7))?.kit.households).toHaveLength(1);
    expect(await listKits(db)).toHaveLength(1);
  });

  it('queues visits with distinct client ids, oldest first', async () => {
    const a = await enqueue(db, visit(), 2);
    const b = await enqueue(db, visit(), 1);
    expect(a.client_id).not.toBe(b.client_id);
    expect(a.client_id).toMatch(/^[A-Za-z0-9-]{8,64}$/);
    expect((await listQueue(db)).map((v) => v.client_id)).toEqual([b.client_id, a.client_id]);
  });

  it('uploads each waiting visit once and empties the queue', async () => {
    const server = fakeServer();
    await enqueue(db, visit('a'));
    await enqueue(db, visit('b'));
    const r = await syncQueue(db, server.fetchFn);
    expect(r).toMatchObject({ sent: 2, duplicates: 0, stopped: null });
    expect(await listQueue(db)).toHaveLength(0);
    expect(server.recorded.size).toBe(2);
  });

  it('sends the same client id again after a lost answer, and the server keeps one visit', async () => {
    const server = fakeServer();
    const v = await enqueue(db, visit());
    // The first upload reaches the server but its answer is lost (the network drops).
    let first = true;
    const lossy = async (u: string, i: RequestInit) => {
      const res = await server.fetchFn(u, i);
      if (first) {
        first = false;
        throw new TypeError('network lost');
      }
      return res;
    };
    expect((await syncQueue(db, lossy)).stopped).toBe('offline');
    expect(await listQueue(db)).toHaveLength(1);
    const r = await syncQueue(db, lossy);
    expect(r).toMatchObject({ sent: 1, duplicates: 1 });
    expect(server.calls.map((c) => c.client_id)).toEqual([v.client_id, v.client_id]);
    expect(server.recorded.size).toBe(1);
  });

  it('stops offline and keeps everything', async () => {
    const server = fakeServer();
    server.set('offline');
    await enqueue(db, visit());
    expect((await syncQueue(db, server.fetchFn)).stopped).toBe('offline');
    expect(await listQueue(db)).toHaveLength(1);
  });

  it('keeps the queue when the session has ended', async () => {
    const server = fakeServer();
    server.set('unauthorized');
    await enqueue(db, visit());
    await enqueue(db, visit());
    const r = await syncQueue(db, server.fetchFn);
    expect(r.stopped).toBe('unauthorized');
    expect(server.calls).toHaveLength(1);
    const q = await listQueue(db);
    expect(q.map((v) => v.state)).toEqual(['waiting', 'waiting']);
    server.set('ok');
    expect((await syncQueue(db, server.fetchFn)).sent).toBe(2);
  });

  it('stops on a server error and retries later', async () => {
    const server = fakeServer();
    server.set('error');
    await enqueue(db, visit());
    expect((await syncQueue(db, server.fetchFn)).stopped).toBe('server');
    expect((await listQueue(db))[0]).toMatchObject({ state: 'waiting', attempts: 1 });
  });

  it('shows a conflict and never resolves it on its own', async () => {
    const server = fakeServer();
    server.set('changed');
    const v = await enqueue(db, visit());
    const r = await syncQueue(db, server.fetchFn);
    expect(r.conflicts).toBe(1);
    let [q] = await listQueue(db);
    expect(q.state).toBe('conflict');
    expect(q.household_now).toMatchObject({ version: 5, head_name: '张三' });
    // Later passes leave it alone.
    await syncQueue(db, server.fetchFn);
    expect(server.calls).toHaveLength(1);
    // Recorded anyway: sent with confirm_changed and the version now seen.
    await confirmAnyway(db, v.client_id);
    [q] = await listQueue(db);
    expect(uploadBody(q)).toMatchObject({ confirm_changed: true, household_version: 5, client_id: v.client_id });
    expect((await syncQueue(db, server.fetchFn)).sent).toBe(1);
    expect(await listQueue(db)).toHaveLength(0);
  });

  it('discards a conflicting visit when the user says so', async () => {
    const server = fakeServer();
    server.set('changed');
    const v = await enqueue(db, visit());
    await syncQueue(db, server.fetchFn);
    await discard(db, v.client_id);
    expect(await listQueue(db)).toHaveLength(0);
  });

  it('keeps a refused visit with the reason', async () => {
    const server = fakeServer();
    server.set('invalid');
    await enqueue(db, visit());
    const r = await syncQueue(db, server.fetchFn);
    expect(r.failed).toBe(1);
    const [q] = await listQueue(db);
    expect(q.state).toBe('failed');
    expect(q.error).toContain('date');
  });

  it('rounds the place and leaves out what is absent', () => {
    const body = uploadBody({
      ...visit(), client_id: 'abcdefgh-1', confirm_changed: false, state: 'waiting', created_at: 0, attempts: 0, error: null, household_now: null,
      place: { lat: 28.6612345678, lon: 97.4656789012, accuracy: 12.6 }, household_version: null,
    });
    expect(body.place).toEqual({ lat: 28.661235, lon: 97.465679, accuracy: 13 });
    expect(body).not.toHaveProperty('photo');
    expect(body).not.toHaveProperty('household_version');
    expect(body).not.toHaveProperty('confirm_changed');
  });

  it('backs off doubling to five minutes', () => {
    expect(backoffMs(0)).toBe(2000);
    expect(backoffMs(3)).toBe(16000);
    expect(backoffMs(50)).toBe(300000);
  });
});
