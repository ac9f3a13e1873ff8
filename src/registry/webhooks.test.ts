import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../store/index.js';
import { AuditTrail } from './audit-trail.js';
import { DestinationPolicy } from './destinations.js';
import { WebhookDispatcher, webhookSignature } from './webhooks.js';

interface Received {
  readonly body: string;
  readonly headers: IncomingMessage['headers'];
}

/** A real HTTP receiver on loopback that answers with the statuses given, in turn. */
function receiver(
  statuses: number[],
  redirectTo?: string,
): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ body, headers: request.headers });
      if (redirectTo) {
        response.writeHead(302, { location: redirectTo }).end();
        return;
      }
      response.writeHead(statuses.shift() ?? 200).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received }),
    ),
  );
}

const fast = { attempts: 3, backoffMs: [10], timeoutMs: 2000, maxRedirects: 3 };
let database: Database;
let audit: AuditTrail;

beforeAll(async () => {
  database = await openDatabase({ url: ':memory:' });
  audit = new AuditTrail(database, {
    origin: 'test',
    name: 'test',
    privateKey: generateKeyPairSync('ed25519').privateKey,
  });
});
afterAll(async () => database.close());

describe('DestinationPolicy', () => {
  const policy = new DestinationPolicy();
  it.each([
    'http://127.0.0.1/',
    'http://localhost:8080/',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.5/',
    'http://172.20.1.1/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://[::1]/',
    'http://[fe80::1]/',
    'http://[fd00::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://0.0.0.0/',
    'file:///etc/passwd',
    'ftp://example.org/',
    'http://user:pass@example.org/',
  ])('refuses %s', async (url) => {
    await expect(policy.resolve(new URL(url))).rejects.toThrow();
  });

  it('allows public addresses and explicitly allowed ranges', async () => {
    await expect(policy.resolve(new URL('http://93.184.215.14/'))).resolves.toMatchObject({ address: '93.184.215.14' });
    await expect(
      new DestinationPolicy(['127.0.0.1/32']).resolve(new URL('http://127.0.0.1:9/')),
    ).resolves.toMatchObject({ family: 4 });
  });
});

describe('WebhookDispatcher', () => {
  it('delivers committed events in order, signed, retrying server errors', async () => {
    const { server, url, received } = await receiver([500, 200, 200]);
    const dispatcher = new WebhookDispatcher(
      audit,
      [{ url, secret: 's3cret' }],
      new DestinationPolicy(['127.0.0.1/32']),
      fast,
    );
    await dispatcher.tick();
    await audit.append(database.db, { kind: 'model.created', actor: null, details: { model: 'a' } });
    await audit.append(database.db, { kind: 'alias.moved', actor: null, details: { model: 'a', alias: 'production' } });
    const deliveries = await dispatcher.tick();
    expect(deliveries.map((d) => [d.delivered, d.attempts])).toEqual([
      [true, 2],
      [true, 1],
    ]);
    expect(received.map((r) => JSON.parse(r.body).kind)).toEqual(['model.created', 'model.created', 'alias.moved']);
    for (const { body, headers } of received) {
      expect(headers['x-mlsecops-signature']).toBe(
        webhookSignature('s3cret', String(headers['x-mlsecops-timestamp']), body),
      );
    }
    expect(await dispatcher.tick()).toEqual([]);
    server.close();
  });

  it('refuses loopback destinations by default, without connecting', async () => {
    const { server, url, received } = await receiver([200]);
    const dispatcher = new WebhookDispatcher(audit, [{ url, secret: 'x' }], new DestinationPolicy(), fast);
    await dispatcher.tick();
    await audit.append(database.db, { kind: 'model.created', actor: null, details: {} });
    const [delivery] = await dispatcher.tick();
    expect(delivery).toMatchObject({ delivered: false });
    expect(delivery?.error).toMatch(/refused/);
    expect(received).toEqual([]);
    server.close();
  });

  it('checks redirect targets: an allowed host redirecting to cloud metadata is refused', async () => {
    const { server, url } = await receiver([], 'http://169.254.169.254/latest/meta-data/');
    const dispatcher = new WebhookDispatcher(
      audit,
      [{ url, secret: 'x' }],
      new DestinationPolicy(['127.0.0.1/32']),
      fast,
    );
    await dispatcher.tick();
    await audit.append(database.db, { kind: 'model.created', actor: null, details: {} });
    const [delivery] = await dispatcher.tick();
    expect(delivery?.delivered).toBe(false);
    expect(delivery?.error).toMatch(/169\.254\.169\.254.*refused|refused.*169\.254/);
    server.close();
  });
});
