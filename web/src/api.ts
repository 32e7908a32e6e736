// The server's JSON API: every call goes through here so errors arrive in one shape, in words.
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
  ) {
    super(message);
  }
  // The reason the server gave for one field, if any.
  fieldReason(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.reason;
  }
}

// A field error in either shape: {field, code, reason} or {field, code, reason_zh, reason_en}.
function fieldOf(f: { field?: string; code?: string; reason?: string; reason_zh?: string; reason_en?: string }): FieldError {
  return { field: f.field ?? '', code: f.code ?? '', reason: f.reason ?? [f.reason_zh, f.reason_en].filter(Boolean).join(' / ') };
}

// Turns any failed response into an ApiError with the server's message (or a plain one).
export async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = await res.json();
    if (body && body.error) {
      const e = body.error;
      // "中文 / English" in one message, or the two halves apart (message_zh, message_en).
      const message = e.message ?? [e.message_zh, e.message_en].filter(Boolean).join(' / ');
      const fields = e.fields ?? (e.field ? [{ field: e.field, code: e.code, reason: message }] : []);
      return new ApiError(res.status, e.code, message, fields.map(fieldOf));
    }
    // Field errors alone: {"errors": [{field, code, reason_zh, reason_en}]}.
    if (body && Array.isArray(body.errors)) {
      const fields: FieldError[] = body.errors.map(fieldOf);
      return new ApiError(res.status, 'request.invalid', fields.map((f) => f.reason).join('; ') || `服务器返回 ${res.status} / the server answered ${res.status}`, fields);
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
      headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
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
