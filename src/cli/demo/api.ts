import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { CliError } from '../errors.js';
import { RegistryClient } from '../http.js';

/** The few calls the demo makes, over the CLI's one HTTP client. */

export const modelPath = (model: string) => `/api/v1/models/${encodeURIComponent(model)}`;
export const versionPath = (model: string, version: number) => `${modelPath(model)}/versions/${version}`;

export interface Version {
  readonly number: number;
  readonly status: 'quarantined' | 'available' | 'rejected' | 'deleted';
  readonly digest: string | null;
  readonly scan?: { readonly findings: number; readonly worst?: string; readonly rules: string[] };
}

export interface Gate {
  readonly passed: boolean;
  readonly checks: { readonly check: string; readonly passed: boolean; readonly detail: string }[];
}

/** A JSON request; `undefined` for answers without a body (204). */
export async function send<T>(
  client: RegistryClient,
  method: 'POST' | 'PUT' | 'PATCH',
  path: string,
  body: unknown,
): Promise<T> {
  const response = await client.request(path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** A file (an artifact, a batch) streamed the way the CLI's push and monitor commands send them. */
export async function sendFile<T>(client: RegistryClient, path: string, file: string, type: string): Promise<T> {
  const { size } = await stat(file).catch(() => {
    throw new CliError('PATH_NOT_FOUND', `no file ${file}`);
  });
  return client.json<T>(path, {
    method: 'POST',
    headers: { 'content-type': type, 'content-length': String(size) },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit);
}

/** Whether a GET answers 2xx; false on 404, and any other refusal (401, 403, …) is thrown. */
export async function exists(client: RegistryClient, path: string): Promise<boolean> {
  return client.request(path).then(
    () => true,
    (error: Error) => {
      if (/: 404 /.test(error.message)) return false;
      throw error;
    },
  );
}

/** The same server as another principal. */
export const as = (client: RegistryClient, token: string) => new RegistryClient(client.server, token);

/**
 * Runs one step of the story; a failure names the step, so a half-seeded server says where it
 * stopped.
 */
export async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const code = error instanceof CliError ? error.code : 'PATH_UNREADABLE';
    throw new CliError(code, `demo step "${name}" failed: ${(error as Error).message}`);
  }
}

/** Formats severity counts, worst first: `1 critical, 27 high, 80 medium`. */
export function severityCounts(bySeverity: Record<string, number>): string {
  return ['critical', 'high', 'medium', 'low', 'info']
    .filter((severity) => (bySeverity[severity] ?? 0) > 0)
    .map((severity) => `${bySeverity[severity]} ${severity}`)
    .join(', ');
}
