import type { ZodType } from 'zod';
import { errorBodySchema, type ErrorCode } from '../../shared/errors.ts';

/** What a failed call reports: a server error code, NETWORK when no answer came, UNKNOWN when the answer made no sense. */
export type ApiErrorCode = ErrorCode | 'NETWORK' | 'UNKNOWN';

/** A failed API call. The UI translates `code`; `message` is the server's English text, for logs only. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details: unknown;

  constructor(status: number, code: ApiErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** True when the session is gone (logged out elsewhere, expired): the UI must send the user to the login page. */
export function isSessionLost(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'UNAUTHENTICATED' || error.code === 'SESSION_EXPIRED');
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Extra request headers, e.g. `idempotency-key`. */
  headers?: Record<string, string>;
  /** A body sent as is instead of JSON (a CSV upload): its text and content type. */
  raw?: { text: string; contentType: string };
}

// The double-submit CSRF token of the current session, taken from the latest MeResponse.
let csrfToken: string | null = null;

/** Remembers the CSRF token of the latest MeResponse; every state-changing request sends it back. */
export function rememberCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * Calls the API on the same origin. With a schema the JSON answer is validated against it
 * (the same shared schema the server answers with); without one the answer is ignored (204s).
 */
export async function apiRequest<T>(
  method: Method,
  path: string,
  options: RequestOptions & { schema: ZodType<T> },
): Promise<T>;
export async function apiRequest(method: Method, path: string, options?: RequestOptions): Promise<void>;
export async function apiRequest<T>(
  method: Method,
  path: string,
  options: RequestOptions & { schema?: ZodType<T> } = {},
): Promise<T | void> {
  let response = await send(method, path, options);
  // A token can rotate under us (a new session in another tab): fetch the current one and try once more.
  if (
    method !== 'GET' &&
    response.status === 403 &&
    (await errorFrom(response.clone())).code === 'CSRF_FAILED'
  ) {
    await refreshCsrfToken();
    response = await send(method, path, options);
  }
  if (!response.ok) throw await errorFrom(response);
  if (!options.schema || response.status === 204) return undefined;
  const parsed = options.schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) {
    throw new ApiError(
      response.status,
      'UNKNOWN',
      `unexpected answer from ${method} ${path}`,
      parsed.error.issues,
    );
  }
  return parsed.data;
}

async function send(
  method: Method,
  path: string,
  { body, signal, headers: extra, raw }: RequestOptions,
): Promise<Response> {
  const headers: Record<string, string> = { ...extra, accept: 'application/json' };
  if (raw) headers['content-type'] = raw.contentType;
  else if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    return await fetch(path, {
      method,
      headers,
      body: raw ? raw.text : body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'NETWORK', error instanceof Error ? error.message : 'network error');
  }
}

async function refreshCsrfToken(): Promise<void> {
  const response = await send('GET', '/api/me', {});
  if (!response.ok) return;
  const body = (await response.json().catch(() => null)) as { csrfToken?: unknown } | null;
  if (typeof body?.csrfToken === 'string') csrfToken = body.csrfToken;
}

/** Reads `{ error: { code, message, details } }`; answers not in that shape (a proxy's 502, say) get a code from their status. */
async function errorFrom(response: Response): Promise<ApiError> {
  const parsed = errorBodySchema.safeParse(await response.json().catch(() => undefined));
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new ApiError(response.status, code, message, details);
  }
  return new ApiError(response.status, codeOfStatus(response.status), `HTTP ${response.status}`);
}

// Several codes share a status: an answer without a code gets the generic one.
const GENERIC_CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  429: 'RATE_LIMITED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'UNAVAILABLE',
};

function codeOfStatus(status: number): ApiErrorCode {
  return GENERIC_CODE_OF_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'UNKNOWN');
}

/**
 * Sends a file as multipart/form-data (field `file`) and reports the bytes sent, 0–1, as they go.
 * XMLHttpRequest, not fetch: fetch reports no upload progress. Same CSRF header and error shapes
 * as `apiRequest`; the answer is validated against `schema`.
 */
export function apiUpload<T>(
  path: string,
  file: File,
  options: { schema: ZodType<T>; onProgress?: (share: number) => void; signal?: AbortSignal },
): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    request.withCredentials = true;
    request.setRequestHeader('accept', 'application/json');
    if (csrfToken) request.setRequestHeader('x-csrf-token', csrfToken);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    };
    request.onerror = () => reject(new ApiError(0, 'NETWORK', 'network error'));
    request.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    request.onload = () => {
      const response = new Response(request.responseText, {
        status: request.status,
        headers: { 'content-type': 'application/json' },
      });
      void (async () => {
        if (!response.ok) return reject(await errorFrom(response));
        const parsed = options.schema.safeParse(await response.json().catch(() => undefined));
        if (parsed.success) resolve(parsed.data);
        else reject(new ApiError(response.status, 'UNKNOWN', `unexpected answer from POST ${path}`));
      })();
    };
    options.signal?.addEventListener('abort', () => request.abort(), { once: true });
    const form = new FormData();
    form.append('file', file);
    request.send(form);
  });
}
