// The server's JSON API: every call goes through here so errors arrive in one shape, in words.
import { i18n } from './i18n';
export interface FieldError {
  field: string;
  code: string;
  reason: string;
}

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public fields: FieldError[] = [],
    public retryAfter: number | null = null,  // seconds, from a 429's or 503's Retry-After
  ) {
    super(message);
  }
  // The reason the server gave for one field, if any.
  fieldReason(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.reason;
  }
}

function currentLocale(): string {
  const locale = i18n.global.locale as unknown as { value: string } | string;
  return typeof locale === 'string' ? locale : locale.value;
}

// Turns any failed response into an ApiError with the server's message (or a plain one).
export async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = await res.json();
    const wait = Number(res.headers?.get('Retry-After') ?? NaN);
    if (body && body.error) {
      // The message and each field's reason in the chosen language (the server sends both; older
      // answers or other servers may send only the joined `message`).
      const en = currentLocale().startsWith('en');
      const pick = (zh: unknown, english: unknown, joined: unknown) => String((en ? english : zh) || joined || '');
      const fields: FieldError[] = (body.error.fields ?? []).map((f: FieldError & { reason_zh?: string; reason_en?: string }) => ({
        field: f.field, code: f.code, reason: pick(f.reason_zh, f.reason_en, f.reason),
      }));
      const message = pick(body.error.message_zh, body.error.message_en, body.error.message);
      return new ApiError(res.status, body.error.code, message, fields, Number.isFinite(wait) && wait > 0 ? wait : null);
    }
  } catch {
    /* not JSON */
  }
  return new ApiError(res.status, 'http.' + res.status, `服务器返回 ${res.status} / the server answered ${res.status}`);
}

let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(fn: () => void) {
  onUnauthorized = fn;
}

export interface Answer<T> {
  data: T;
  etag: string | null;
}

export async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      // Every change says it is JSON (or, for an upload, its file type): the server refuses the
      // form and text types a cross-site form could send.
      headers: body === undefined && (method === 'GET' || method === 'HEAD') ? headers : { 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' || body instanceof Blob ? (body as BodyInit) : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器 / cannot reach the server');
  }
  if (!res.ok) {
    const error = await errorOf(res);
    if (res.status === 401 && path !== '/api/login') onUnauthorized();
    throw error;
  }
  const text = await res.text();
  return { data: (text ? JSON.parse(text) : {}) as T, etag: res.headers.get('ETag') };
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path).then((a) => a.data),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}).then((a) => a.data),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}).then((a) => a.data),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body ?? {}).then((a) => a.data),
};

// A query string from the set values only.
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? '?' + s : '';
}
