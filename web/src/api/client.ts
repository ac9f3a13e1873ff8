/**
 * The dashboard's one HTTP client: every request goes through here with the session's bearer token.
 * Paths are relative (`api/v1/…`), so the dashboard works wherever the server is mounted. A 401 from
 * any call ends the session; other failures become an ApiError carrying the server's own message.
 */
import type { Me } from './types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Readonly<Record<string, string | number | readonly string[] | undefined>>;

export interface Api {
  /** GET a JSON document. */
  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T>;
  /** GET a text document (the audit checkpoint). */
  text(path: string, signal?: AbortSignal): Promise<string>;
  /** POST/PUT a JSON body; resolves to the JSON answer (or undefined for 204). */
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

/** The URL of an API path with its query (list values joined by commas; empty values left out). */
export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    const text = typeof value === 'object' ? value.join(',') : String(value);
    if (text !== '') params.set(key, text);
  }
  const search = params.toString();
  return `api/v1/${path.replace(/^\//, '')}${search ? `?${search}` : ''}`;
}

/** A client for `token`; `onUnauthorized` runs when the server refuses it (expired, revoked). */
export function createApi(token: string, onUnauthorized: () => void): Api {
  async function request(method: string, url: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const init: RequestInit = { method, headers, cache: 'no-store', credentials: 'omit' };
    if (body !== undefined) init.body = JSON.stringify(body);
    if (signal) init.signal = signal;
    const response = await fetch(url, init);
    if (response.ok) return response;
    if (response.status === 401) onUnauthorized();
    throw await errorOf(response);
  }
  return {
    async get<T>(path: string, query?: Query, signal?: AbortSignal) {
      return (await request('GET', apiUrl(path, query), undefined, signal)).json() as Promise<T>;
    },
    async text(path: string, signal?: AbortSignal) {
      return (await request('GET', apiUrl(path), undefined, signal)).text();
    },
    async send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown) {
      const response = await request(method, apiUrl(path), body);
      return (response.status === 204 ? undefined : await response.json()) as T;
    },
  };
}

/** Checks a pasted token without keeping it: who it belongs to, or the reason it was refused. */
export async function whoIs(token: string): Promise<Me> {
  const response = await fetch(apiUrl('me'), {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    cache: 'no-store',
    credentials: 'omit',
  });
  if (!response.ok) throw await errorOf(response);
  return response.json();
}

async function errorOf(response: Response): Promise<ApiError> {
  let code = `HTTP_${response.status}`;
  let message = `${response.status} ${response.statusText}`.trim();
  try {
    const body = (await response.json()) as { error?: unknown; message?: unknown };
    if (typeof body.error === 'string') code = body.error;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // Not JSON (a proxy's error page): the status line says enough.
  }
  return new ApiError(response.status, code, message);
}

/** The text to show for any error: the server's message when it sent one. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
