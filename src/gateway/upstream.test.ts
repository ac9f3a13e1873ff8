import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callUpstream, type UpstreamCall } from './upstream.js';

let server: Server;
let origin: string;
const agent = new Agent({ keepAliveTimeout: 1_000 });
/** Set by the `/slow-reader` route: how many bytes the server managed to write before the caller gave up. */
let abandonedAfter: Promise<number> | undefined;

const routes: Record<string, (request: IncomingMessage, response: ServerResponse) => void> = {
  '/echo': (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () =>
      response
        .writeHead(201, { 'content-type': 'application/json', 'x-seen': String(request.headers['x-test']) })
        .end(JSON.stringify({ got: Buffer.concat(chunks).toString(), method: request.method })),
    );
  },
  // Chunked, no length: held whole as long as it stays small.
  '/chunked': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.write('{"a":');
    setTimeout(() => response.end('1}'), 20);
  },
  '/large': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    for (let i = 0; i < 8; i++) response.write(Buffer.alloc(64 << 10, i));
    response.end();
  },
  '/announced': (_request, response) => {
    const body = Buffer.alloc(300 << 10, 7);
    response.writeHead(200, { 'content-length': String(body.length) }).end(body);
  },
  '/events': (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write('data: one\n\n');
    setTimeout(() => response.end('data: two\n\n'), 50);
  },
  '/hints': (_request, response) => {
    response.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
    response.writeHead(200, { 'content-type': 'text/plain' }).end('after hints');
  },
  '/breaks': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    response.write(Buffer.alloc(300 << 10, 1));
    setTimeout(() => response.socket?.destroy(), 20);
  },
  '/silent': () => undefined,
  '/slow-reader': (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    let written = 0;
    abandonedAfter = new Promise((done) => {
      const pump = () => {
        while (response.write(`data: ${'x'.repeat(1000)}\n\n`)) written += 1008;
        written += 1008;
        response.once('drain', pump);
      };
      response.on('close', () => done(written));
      pump();
    });
  },
};

beforeAll(async () => {
  server = createServer((request, response) => routes[request.url ?? '']?.(request, response));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await agent.close();
  server.closeAllConnections();
  server.close();
});

const call = (path: string, extra: Partial<UpstreamCall> = {}): UpstreamCall => ({
  origin,
  path,
  method: 'GET',
  headers: {},
  body: undefined,
  timeoutMs: 2_000,
  ...extra,
});

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('callUpstream', () => {
  it('sends method, headers and body, and holds a small answer whole', async () => {
    const answer = await callUpstream(
      agent,
      call('/echo', { method: 'POST', headers: { 'x-test': 'yes' }, body: Buffer.from('{"q":1}') }),
    );
    expect(answer.statusCode).toBe(201);
    expect(answer.headers['x-seen']).toBe('yes');
    expect(answer.stream).toBeUndefined();
    expect(JSON.parse(answer.body!.toString())).toEqual({ got: '{"q":1}', method: 'POST' });
  });

  it('holds a chunked answer of unknown length that stays small', async () => {
    const answer = await callUpstream(agent, call('/chunked'));
    expect(answer.body?.toString()).toBe('{"a":1}');
  });

  it('lets an answer flow once it outgrows the limit, keeping what was held', async () => {
    const answer = await callUpstream(agent, call('/large'), 100 << 10);
    expect(answer.body).toBeUndefined();
    const bytes = await collect(answer.stream!);
    expect(bytes.length).toBe(8 * (64 << 10));
    for (let i = 0; i < 8; i++) expect(bytes[i * (64 << 10)]).toBe(i);
  });

  it('lets announced large answers and event streams flow from the start', async () => {
    const large = await callUpstream(agent, call('/announced'));
    expect(large.body).toBeUndefined();
    expect((await collect(large.stream!)).length).toBe(300 << 10);

    const started = Date.now();
    const events = await callUpstream(agent, call('/events'));
    // Resolved at the headers, before the server's second event (50 ms later).
    expect(Date.now() - started).toBeLessThan(45);
    expect((await collect(events.stream!)).toString()).toBe('data: one\n\ndata: two\n\n');
  });

  it('skips informational answers and returns the final one', async () => {
    const answer = await callUpstream(agent, call('/hints'));
    expect(answer.statusCode).toBe(200);
    expect(answer.body?.toString()).toBe('after hints');
  });

  it('rejects when the server cannot be reached or is silent, and ends a stream that breaks off', async () => {
    await expect(callUpstream(agent, call('/', { origin: 'http://127.0.0.1:1' }))).rejects.toThrow();
    await expect(callUpstream(agent, call('/silent', { timeoutMs: 100 }))).rejects.toThrow(/timeout/i);
    const broken = await callUpstream(agent, call('/breaks'));
    await expect(collect(broken.stream!)).rejects.toThrow();
  });

  it('pauses the server while the stream is unread, and stops it when the stream is destroyed', async () => {
    const answer = await callUpstream(agent, call('/slow-reader'));
    await new Promise((done) => setTimeout(done, 100));
    answer.stream!.destroy();
    // Without backpressure the server would have written without end; it stopped at socket buffers.
    const written = await abandonedAfter!;
    expect(written).toBeLessThan(16 << 20);
  });
});
