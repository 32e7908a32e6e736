// The field page's storage on the device (IndexedDB through `idb`): the field kits downloaded per
// cadre (the cadre's households, so the page works without a network) and the queue of visits
// recorded but not yet uploaded. Every visit gets its client id (crypto.randomUUID) when it is
// saved, and every upload of it sends that id: the server records a client id once (201 the first
// time, 200 "inserted": false after), so an upload retried after a lost answer never makes a
// second visit. A visit the server refuses because the household changed meanwhile (409
// visit.household_changed) stays in the queue as a conflict until the user decides: record it
// anyway (confirm_changed) or discard it. Nothing here is resolved silently.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export interface GeoPlace {
  lat: number;
  lon: number;
  accuracy: number;  // metres
}

// The current state of a household as the server sent it with a 409 (routes_visits.cc).
export interface HouseholdNow {
  household_code: string;
  version: number;
  division_code?: string;
  head_name?: string | null;
  persons?: number;
  status?: number;
  status_name?: string;
  attribute?: number;
  main_measure?: number | null;
  pairing_cadre?: string;
  [key: string]: unknown;
}

export type QueueState = 'waiting' | 'conflict' | 'failed';

export interface QueuedVisit {
  client_id: string;
  household_code: string;
  cadre_id: number;
  date: string;  // YYYY-MM-DD
  discussed: string;
  done: string;
  place: GeoPlace | null;
  photo: string | null;  // base64 of the JPEG made on the device
  household_version: number | null;
  confirm_changed: boolean;
  state: QueueState;
  created_at: number;  // ms since the epoch, the queue's order
  attempts: number;
  error: string | null;  // the server's reason for a refused visit (state 'failed')
  household_now: HouseholdNow | null;  // state 'conflict'
}

export interface StoredKit {
  cadre_id: number;
  saved_at: number;
  kit: FieldKit;
}

// GET /api/field/kit (service::FieldKitJson); households keep every key the server sends.
export interface KitHousehold {
  household_code: string;
  version: number;
  [key: string]: unknown;
}
export interface FieldKit {
  cadre: { id: number; name: string; [key: string]: unknown };
  households: KitHousehold[];
  [key: string]: unknown;
}

interface FieldDb extends DBSchema {
  kits: { key: number; value: StoredKit };
  queue: { key: string; value: QueuedVisit; indexes: { by_created: number } };
}

export const DB_NAME = 'jingzhun-field';

export type FieldDatabase = IDBPDatabase<FieldDb>;

export function openFieldDb(name = DB_NAME): Promise<FieldDatabase> {
  return openDB<FieldDb>(name, 1, {
    upgrade(db) {
      db.createObjectStore('kits', { keyPath: 'cadre_id' });
      const queue = db.createObjectStore('queue', { keyPath: 'client_id' });
      queue.createIndex('by_created', 'created_at');
    },
  });
}

// ------------------------------------------------------------------------------------------ kits
export async function saveKit(db: FieldDatabase, kit: FieldKit, now = Date.now()): Promise<StoredKit> {
  const stored = { cadre_id: Number(kit.cadre.id), saved_at: now, kit };
  await db.put('kits', stored);
  return stored;
}
export function loadKit(db: FieldDatabase, cadreId: number): Promise<StoredKit | undefined> {
  return db.get('kits', cadreId);
}
export function listKits(db: FieldDatabase): Promise<StoredKit[]> {
  return db.getAll('kits');
}

// ----------------------------------------------------------------------------------------- queue
export interface NewVisit {
  household_code: string;
  cadre_id: number;
  date: string;
  discussed: string;
  done: string;
  place: GeoPlace | null;
  photo: string | null;
  household_version: number | null;
}

function newClientId(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  // (Browsers give randomUUID in secure contexts only; the field page runs in one.)
  const bytes = new Uint8Array(16);
  c?.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// Saves a visit in the queue with a new client id; the id is the visit's identity from now on.
export async function enqueue(db: FieldDatabase, visit: NewVisit, now = Date.now()): Promise<QueuedVisit> {
  const queued: QueuedVisit = {
    ...visit,
    client_id: newClientId(),
    confirm_changed: false,
    state: 'waiting',
    created_at: now,
    attempts: 0,
    error: null,
    household_now: null,
  };
  await db.put('queue', queued);
  return queued;
}

export async function listQueue(db: FieldDatabase): Promise<QueuedVisit[]> {
  return db.getAllFromIndex('queue', 'by_created');
}

export async function discard(db: FieldDatabase, clientId: string): Promise<void> {
  await db.delete('queue', clientId);
}

// The user chose to record a conflicting visit anyway: it is sent again with confirm_changed and
// the version the user has now seen.
export async function confirmAnyway(db: FieldDatabase, clientId: string): Promise<void> {
  const v = await db.get('queue', clientId);
  if (!v) return;
  v.confirm_changed = true;
  if (v.household_now) v.household_version = v.household_now.version;
  v.state = 'waiting';
  v.error = null;
  await db.put('queue', v);
}

// A refused visit ('failed') put back to be sent again (after the cause was fixed elsewhere).
export async function retryFailed(db: FieldDatabase, clientId: string): Promise<void> {
  const v = await db.get('queue', clientId);
  if (!v) return;
  v.state = 'waiting';
  v.error = null;
  await db.put('queue', v);
}

// The POST /api/visits body of a queued visit (service::VisitRequestFromJson).
export function uploadBody(v: QueuedVisit): Record<string, unknown> {
  const body: Record<string, unknown> = {
    client_id: v.client_id,
    household_code: v.household_code,
    cadre_id: v.cadre_id,
    date: v.date,
    discussed: v.discussed,
    done: v.done,
  };
  if (v.place)
    body.place = {
      lat: Number(v.place.lat.toFixed(6)),
      lon: Number(v.place.lon.toFixed(6)),
      accuracy: Math.max(0, Math.round(v.place.accuracy)),
    };
  if (v.photo) body.photo = v.photo;
  if (v.household_version !== null) body.household_version = v.household_version;
  if (v.confirm_changed) body.confirm_changed = true;
  return body;
}

// What one pass over the queue did, and why it stopped early if it did.
export interface SyncResult {
  sent: number;        // recorded by the server (new or already there)
  duplicates: number;  // of which the server had already (a retried upload)
  conflicts: number;   // now waiting for the user's decision
  failed: number;      // refused (invalid), kept with the reason
  stopped: null | 'offline' | 'unauthorized' | 'server';  // the pass ended early; the rest waits
}

type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

async function reasonOf(res: Response): Promise<{ code: string; message: string; household: HouseholdNow | null }> {
  try {
    const body = await res.json();
    const e = body?.error ?? {};
    const fields: { field: string; reason?: string }[] = Array.isArray(e.fields) ? e.fields : [];
    const detail = fields.map((f) => `${f.field}: ${f.reason ?? ''}`).join('; ');
    return {
      code: String(e.code ?? 'http.' + res.status),
      message: String(e.message ?? res.status) + (detail ? ` (${detail})` : ''),
      household: (body?.household as HouseholdNow) ?? null,
    };
  } catch {
    return { code: 'http.' + res.status, message: `HTTP ${res.status}`, household: null };
  }
}

// Uploads every waiting visit, oldest first, one at a time. A recorded visit (201, or 200 for a
// client id the server has already) leaves the queue; a 409 visit.household_changed becomes a
// conflict; another 4xx a failed visit with the server's reason; a network error, a 401 (the
// session has ended: the queue is kept for after the next login) or a 5xx/429 ends the pass.
export async function syncQueue(db: FieldDatabase, fetchFn: FetchLike = (u, i) => fetch(u, i)): Promise<SyncResult> {
  const result: SyncResult = { sent: 0, duplicates: 0, conflicts: 0, failed: 0, stopped: null };
  for (const v of await listQueue(db)) {
    if (v.state !== 'waiting') continue;
    let res: Response;
    try {
      res = await fetchFn('/api/visits', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(uploadBody(v)),
        credentials: 'same-origin',
      });
    } catch {
      result.stopped = 'offline';
      break;
    }
    if (res.status === 201 || res.status === 200) {
      await db.delete('queue', v.client_id);
      result.sent++;
      if (res.status === 200) result.duplicates++;
      continue;
    }
    const current = await db.get('queue', v.client_id);
    if (!current) continue;  // discarded meanwhile
    current.attempts++;
    if (res.status === 401) {
      await db.put('queue', current);
      result.stopped = 'unauthorized';
      break;
    }
    if (res.status >= 500 || res.status === 429 || res.status === 408) {
      await db.put('queue', current);
      result.stopped = 'server';
      break;
    }
    const reason = await reasonOf(res);
    if (res.status === 409 && reason.code === 'visit.household_changed') {
      current.state = 'conflict';
      current.household_now = reason.household;
      current.error = reason.message;
      result.conflicts++;
    } else {
      current.state = 'failed';
      current.error = reason.message;
      result.failed++;
    }
    await db.put('queue', current);
  }
  return result;
}

// The wait before the next automatic try after a pass that stopped: 2 s doubling to at most 5 min.
export function backoffMs(failures: number): number {
  return Math.min(300_000, 2000 * 2 ** Math.max(0, Math.min(failures, 20)));
}
