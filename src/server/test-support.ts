import type { FastifyInstance } from 'fastify';
import { bootstrapAdmin } from '../registry/index.js';
import { type Database, LocalBlobStore } from '../store/index.js';
import { type AppDeps, createApp } from './app.js';

/** Uploads an artifact the way clients do: the raw bytes as application/octet-stream. */
export function upload(app: FastifyInstance, url: string, headers: Record<string, string>, payload: Buffer) {
  return app.inject({
    method: 'POST',
    url,
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    payload,
  });
}

/**
 * A registry app on a fresh database (from `open`) with blobs in `blobDir`, its first-start admin
 * token as headers, and one call to tear both down.
 */
export async function registryApp(
  open: () => Promise<Database>,
  blobDir: string,
  options: Omit<AppDeps, 'database' | 'blobs'> = {},
) {
  const database = await open();
  const app = await createApp({ database, blobs: await LocalBlobStore.create(blobDir), ...options });
  const admin = { authorization: `Bearer ${(await bootstrapAdmin(database))!.token}` };
  const close = async () => {
    await app.close();
    await database.close();
  };
  return { app, database, admin, close };
}
