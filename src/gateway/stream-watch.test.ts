import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { StreamWatch } from './stream-watch.js';

const event = (content: string) =>
  `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content } }] })}\n\n`;
const usage = (total: number) => `data: ${JSON.stringify({ choices: [], usage: { total_tokens: total } })}\n\n`;

/** Runs chunks through a watch, cutting the bytes at arbitrary places the way a network does. */
async function watch(chunks: string[], canaries: string[], block: boolean) {
  const joined = Buffer.from(chunks.join(''));
  const pieces: Buffer[] = [];
  for (let at = 0; at < joined.length; at += 7) pieces.push(joined.subarray(at, at + 7));
  const watcher = new StreamWatch({ canaries, block });
  const out = await text(Readable.from(pieces).pipe(watcher));
  return { out, outcome: watcher.outcome };
}

describe('StreamWatch', () => {
  it('passes events through unchanged and notes the usage the stream reports', async () => {
    const chunks = [event('Hello'), event(', wörld'), usage(42), 'data: [DONE]\n\n'];
    const { out, outcome } = await watch(chunks, [], true);
    expect(out).toBe(chunks.join(''));
    expect(outcome).toMatchObject({ tokens: 42, text: 'Hello, wörld', canary: undefined });
  });

  it('finds a canary split over several events and ends the stream without any part of it', async () => {
    const chunks = [event('The secret'), event(' is mlsc-AB'), event('CD123'), event(' and more'), 'data: [DONE]\n\n'];
    const { out, outcome } = await watch(chunks, ['mlsc-ABCD123'], true);
    expect(outcome.canary).toBe('mlsc-ABCD123');
    expect(out.startsWith(chunks[0]!)).toBe(true);
    expect(out).not.toContain('mlsc');
    expect(out).toMatch(/"type":"mlsecops_gateway"/);
  });

  it('only reports a canary in alert mode', async () => {
    const chunks = [event('mlsc-'), event('ABCD123'), 'data: [DONE]\n\n'];
    const { out, outcome } = await watch(chunks, ['mlsc-ABCD123'], false);
    expect(outcome.canary).toBe('mlsc-ABCD123');
    expect(out).toBe(chunks.join(''));
  });

  it('ends a stream whose event grows past the bound instead of holding it', async () => {
    const watcher = new StreamWatch({ canaries: [], block: true, maxEventChars: 1000 });
    const out = await text(Readable.from([Buffer.from(`data: ${'x'.repeat(5000)}`)]).pipe(watcher));
    expect(out).toMatch(/too large/);
  });

  it('ignores events that are not JSON', async () => {
    const { out, outcome } = await watch(['event: ping\ndata: {not json\n\n', event('ok')], ['zzzzzzzz'], true);
    expect(out).toContain('{not json');
    expect(outcome.text).toBe('ok');
  });
});

describe('StreamWatch hold-back', () => {
  it('releases a held event once the text turns out not to be a canary', async () => {
    const chunks = [event('see mlsc'), event('-manual'), 'data: [DONE]\n\n'];
    const { out, outcome } = await watch(chunks, ['mlsc-ABCD123'], true);
    expect(outcome.canary).toBeUndefined();
    expect(out).toBe(chunks.join(''));
  });
});

describe('StreamWatch line endings', () => {
  it('reads events separated by CRLF blank lines as they arrive', async () => {
    const chunks = [event('mlsc-AB').replace(/\n/g, '\r\n'), event('CD123').replace(/\n/g, '\r\n')];
    const { outcome } = await watch(chunks, ['mlsc-ABCD123'], true);
    expect(outcome.canary).toBe('mlsc-ABCD123');
  });
});
