import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';

/** Answers up to this size are held whole and sent on in one write; larger or open-ended ones flow. */
export const HELD_ANSWER = 256 << 10;

/** One call to a model server, as the gateway forwards it. */
export interface UpstreamCall {
  /** `http(s)://host:port` of the model server. */
  readonly origin: string;
  /** Path and query, starting with `/`. */
  readonly path: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | undefined;
  /** Longest wait for the answer's headers, and between two pieces of its body. */
  readonly timeoutMs: number;
}

/**
 * A model server's answer. Small answers (`HELD_ANSWER` at most, the usual JSON prediction) arrive
 * whole in `body`; server-sent events, answers announced as larger and answers that outgrow the limit
 * while arriving come as `stream`, which starts with whatever was already held. Exactly one is set.
 */
export interface UpstreamAnswer {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer | undefined;
  readonly stream: Readable | undefined;
}

/** True for a content type of server-sent events. */
export function isEventStream(type: unknown): boolean {
  return typeof type === 'string' && /text\/event-stream/i.test(type);
}

/** True when an answer must flow as it arrives rather than be held: event streams and announced large bodies. */
function flowsAtOnce(headers: UpstreamAnswer['headers'], holdLimit: number): boolean {
  if (isEventStream(headers['content-type'])) return true;
  const length = Number(headers['content-length'] ?? Number.NaN);
  return Number.isFinite(length) && length > holdLimit;
}

/**
 * Calls the model server through undici's dispatcher directly, without a response stream per request:
 * the request path of an inference gateway runs this for every call, and holding a small answer in a
 * buffer or two costs far less than a stream, its events and its promise machinery. Rejects when the
 * server cannot be reached or does not answer in time; an error after the answer started ends `stream`.
 * Backpressure: a stream that is not read pauses the upstream socket.
 */
export function callUpstream(
  dispatcher: Dispatcher,
  call: UpstreamCall,
  holdLimit = HELD_ANSWER,
): Promise<UpstreamAnswer> {
  return new Promise((resolve, reject) => {
    let statusCode = 0;
    let headers: UpstreamAnswer['headers'] = {};
    let held: Buffer[] = [];
    let heldBytes = 0;
    let stream: Readable | undefined;
    let settled = false;
    let control: Dispatcher.DispatchController | undefined;
    let ended = false;

    const flow = (): Readable => {
      const readable = new Readable({
        read: () => control?.resume(),
        destroy: (error, done) => {
          // The reader gave up (the caller left, a watch stopped the stream): stop the upstream too.
          if (!ended) control?.abort(error ?? new Error('the answer was abandoned'));
          done(error);
        },
      });
      for (const chunk of held) readable.push(chunk);
      held = [];
      settled = true;
      resolve({ statusCode, headers, body: undefined, stream: readable });
      return readable;
    };

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(controller) {
        control = controller;
      },
      onResponseStart(controller, code, responseHeaders) {
        control = controller;
        // An informational answer (100 Continue, 103 Early Hints) comes before the real one.
        if (code < 200) return;
        statusCode = code;
        headers = responseHeaders as UpstreamAnswer['headers'];
        if (flowsAtOnce(headers, holdLimit)) stream = flow();
      },
      onResponseData(controller, chunk) {
        if (stream) {
          if (!stream.push(chunk)) controller.pause();
          return;
        }
        held.push(chunk);
        heldBytes += chunk.length;
        if (heldBytes > holdLimit) stream = flow();
      },
      onResponseEnd() {
        ended = true;
        if (stream) {
          stream.push(null);
          return;
        }
        settled = true;
        const body = held.length === 1 ? held[0]! : Buffer.concat(held, heldBytes);
        resolve({ statusCode, headers, body, stream: undefined });
      },
      onResponseError(_controller, error) {
        ended = true;
        if (stream) stream.destroy(error);
        else if (!settled) {
          settled = true;
          reject(error);
        }
      },
    };

    dispatcher.dispatch(
      {
        origin: call.origin,
        path: call.path,
        method: call.method as Dispatcher.HttpMethod,
        headers: call.headers,
        body: call.body && call.body.length > 0 ? call.body : null,
        headersTimeout: call.timeoutMs,
        bodyTimeout: call.timeoutMs,
      },
      handler,
    );
  });
}

/** Origin and base path of each upstream address seen, parsed once rather than per request. */
const upstreams = new Map<string, { origin: string; base: string }>();

export function upstreamOf(address: string): { origin: string; base: string } {
  let parsed = upstreams.get(address);
  if (!parsed) {
    const url = new URL(address);
    parsed = { origin: url.origin, base: url.pathname.replace(/\/$/, '') };
    if (upstreams.size > 10_000) upstreams.clear();
    upstreams.set(address, parsed);
  }
  return parsed;
}
