import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { AuditTrail } from './audit-trail.js';
import type { DestinationPolicy } from './destinations.js';

export interface WebhookConfig {
  readonly url: string;
  /** HMAC-SHA256 key: receivers check `x-mlsecops-signature` with it. */
  readonly secret: string;
  /** Event kinds to send (`alias.moved`, `version.scanned`…); all when omitted. */
  readonly events?: readonly string[];
}

export interface DeliveryOptions {
  readonly attempts: number;
  /** Wait before retry n (the last value repeats). */
  readonly backoffMs: readonly number[];
  readonly timeoutMs: number;
  readonly maxRedirects: number;
}

export const defaultDeliveryOptions: DeliveryOptions = {
  attempts: 4,
  backoffMs: [500, 2000, 10_000],
  timeoutMs: 5000,
  maxRedirects: 3,
};

export interface Delivery {
  readonly url: string;
  readonly seq: number;
  readonly delivered: boolean;
  readonly attempts: number;
  readonly error?: string;
}

/** `sha256=<hex>` over `<timestamp>.<body>`: what a receiver recomputes with the shared secret. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Sends audit-log events to configured URLs. It tails the log, so only committed changes are sent, in
 * order, each signed with HMAC; failures are retried with backoff. Every destination, and every
 * redirect target, is resolved and checked against the destination policy, and the connection goes
 * to the address that was checked.
 */
export class WebhookDispatcher {
  private cursor: number | undefined;

  constructor(
    private readonly audit: AuditTrail,
    private readonly hooks: readonly WebhookConfig[],
    private readonly policy: DestinationPolicy,
    private readonly options: DeliveryOptions = defaultDeliveryOptions,
  ) {}

  /** Delivers every entry appended since the last call (the first call starts at the log's end). */
  async tick(): Promise<Delivery[]> {
    if (this.cursor === undefined) {
      this.cursor = await this.audit.size();
      return [];
    }
    const deliveries: Delivery[] = [];
    for (;;) {
      const entries = await this.audit.entries(this.cursor, 100);
      if (entries.length === 0) return deliveries;
      for (const body of entries) {
        const { seq, kind } = JSON.parse(body) as { seq: number; kind: string };
        for (const hook of this.hooks) {
          if (hook.events && !hook.events.includes(kind)) continue;
          deliveries.push(await this.deliver(hook, seq, body));
        }
        this.cursor = seq + 1;
      }
    }
  }

  private async deliver(hook: WebhookConfig, seq: number, body: string): Promise<Delivery> {
    const result = await deliverWebhook(hook, body, this.policy, this.options);
    return { url: hook.url, seq, ...result };
  }
}

/**
 * Posts one signed body to a URL: the destination (and every redirect target) resolved and checked
 * against the policy, the connection pinned to the checked address, retried with backoff on network
 * errors, 429 and 5xx. Shared by the audit-log webhooks and the monitor's alert webhooks.
 */
export async function deliverWebhook(
  target: { readonly url: string; readonly secret: string },
  body: string,
  policy: DestinationPolicy,
  options: DeliveryOptions = defaultDeliveryOptions,
): Promise<{ delivered: boolean; attempts: number; error?: string }> {
  let error = '';
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      const status = await post(new URL(target.url), target.secret, body, 0, policy, options);
      if (status >= 200 && status < 300) return { delivered: true, attempts: attempt };
      error = `HTTP ${status}`;
      if (status < 500 && status !== 429) break;
    } catch (caught) {
      error = (caught as Error).message;
      if (/refused:|not allowed|credentials|too many redirects/.test(error)) break;
    }
    if (attempt < options.attempts) {
      const wait = options.backoffMs[Math.min(attempt - 1, options.backoffMs.length - 1)] ?? 0;
      await new Promise((done) => setTimeout(done, wait));
    }
  }
  return { delivered: false, attempts: options.attempts, error };
}

async function post(
  url: URL,
  secret: string,
  body: string,
  redirects: number,
  policy: DestinationPolicy,
  options: DeliveryOptions,
): Promise<number> {
  const { address, family } = await policy.resolve(url);
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean }).all)
      (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      lookup: pinned,
      timeout: options.timeoutMs,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'user-agent': 'mlsecops-webhooks',
        'x-mlsecops-timestamp': timestamp,
        'x-mlsecops-signature': webhookSignature(secret, timestamp, body),
      },
    });
    request.on('response', resolve);
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
    request.end(body);
  });
  response.resume();
  const status = response.statusCode ?? 0;
  const location = response.headers.location;
  if (status >= 300 && status < 400 && location) {
    if (redirects >= options.maxRedirects) throw new Error('too many redirects');
    // The redirect target is checked like the first destination.
    return post(new URL(location, url), secret, body, redirects + 1, policy, options);
  }
  return status;
}
