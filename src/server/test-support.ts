import type { FastifyInstance } from 'fastify';

/** Uploads an artifact the way clients do: the raw bytes as application/octet-stream. */
export function upload(app: FastifyInstance, url: string, headers: Record<string, string>, payload: Buffer) {
  return app.inject({
    method: 'POST',
    url,
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    payload,
  });
}
