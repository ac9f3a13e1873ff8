import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/**
 * Watches a streamed chat answer (server-sent events, OpenAI style) as it passes through: the text of
 * every `choices[].delta.content` is followed so that a canary split over several events is still
 * seen, and the final `usage.total_tokens` (sent when the caller asked for `stream_options.include_usage`)
 * is noted for the token budget. Events go on to the caller unchanged, each as soon as it is complete
 * (under `block`, one whose text ends in the first characters of a canary waits for the next); when a
 * canary appears under `block` the stream is ended with an error event instead of the events that
 * spelled it. Bounded: an event longer than `maxEventChars` ends the stream too.
 */
export interface StreamWatchOptions {
  /** Strings whose appearance in the answer text stops the stream (block) or is reported (alert). */
  readonly canaries: readonly string[];
  readonly block: boolean;
  readonly maxEventChars?: number;
}

export interface StreamOutcome {
  canary: string | undefined;
  tokens: number;
  /** The answer text seen, up to a bound, for scanning once the stream has ended. */
  text: string;
  truncated: boolean;
}

const MAX_TEXT = 1 << 20;

export class StreamWatch extends Transform {
  readonly outcome: StreamOutcome = { canary: undefined, tokens: 0, text: '', truncated: false };
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private held: string[] = [];
  private stopped = false;
  private readonly longest: number;
  private readonly maxEventChars: number;

  constructor(private readonly options: StreamWatchOptions) {
    super();
    this.longest = Math.max(0, ...options.canaries.map((canary) => canary.length));
    this.maxEventChars = options.maxEventChars ?? 4 << 20;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.stopped) {
      done();
      return;
    }
    this.pending += this.decoder.write(chunk);
    let end = eventEnd(this.pending);
    while (end !== -1) {
      const event = this.pending.slice(0, end);
      this.pending = this.pending.slice(end);
      if (!this.pass(event)) break;
      end = eventEnd(this.pending);
    }
    if (!this.stopped && this.pending.length > this.maxEventChars)
      this.stop('the answer stream sent an event too large to inspect');
    done();
  }

  override _flush(done: TransformCallback): void {
    const rest = this.pending + this.decoder.end();
    if (!this.stopped && rest !== '') this.pass(rest);
    if (!this.stopped) for (const ready of this.held) this.push(ready);
    this.held = [];
    done();
  }

  /** Reads one event; forwards it unless it completes a canary under `block`. */
  private pass(event: string): boolean {
    for (const line of event.split(/\r?\n/)) {
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trim();
      if (data === '' || data === '[DONE]') continue;
      let parsed: { choices?: { delta?: { content?: unknown }; text?: unknown }[]; usage?: { total_tokens?: unknown } };
      try {
        parsed = JSON.parse(data);
      } catch {
        continue;
      }
      const total = parsed.usage?.total_tokens;
      if (typeof total === 'number' && Number.isFinite(total) && total > 0) this.outcome.tokens = total;
      for (const choice of parsed.choices ?? []) {
        const piece = choice?.delta?.content ?? choice?.text;
        if (typeof piece === 'string' && piece !== '') this.follow(piece);
      }
    }
    if (this.outcome.canary && this.options.block) {
      this.held = [];
      this.stop('the answer was stopped: it disclosed protected instructions');
      return false;
    }
    // Under block, an event whose text ends in the start of a canary waits until the next one tells
    // whether the canary follows, so not even its first characters get out.
    this.held.push(event);
    if (this.options.block && this.endsInCanaryStart()) return true;
    for (const ready of this.held) this.push(ready);
    this.held = [];
    return true;
  }

  private endsInCanaryStart(): boolean {
    const { text } = this.outcome;
    for (const canary of this.options.canaries) {
      for (let length = Math.min(canary.length - 1, text.length); length > 0; length--) {
        if (text.endsWith(canary.slice(0, length))) return true;
      }
    }
    return false;
  }

  private follow(piece: string): void {
    const before = this.outcome.text.length;
    if (before + piece.length <= MAX_TEXT) this.outcome.text += piece;
    else this.outcome.truncated = true;
    if (this.outcome.canary || this.longest === 0) return;
    // Search the new text and enough of what came before for a canary that straddles events.
    const window = this.outcome.truncated ? piece : this.outcome.text.slice(Math.max(0, before - this.longest + 1));
    for (const canary of this.options.canaries) {
      if (window.includes(canary)) {
        this.outcome.canary = canary;
        return;
      }
    }
  }

  private stop(message: string): void {
    this.stopped = true;
    this.push(`data: ${JSON.stringify({ error: { type: 'mlsecops_gateway', message } })}\n\n`);
    this.push(null);
    this.emit('stopped');
  }
}

/** Where the first complete event ends (after its blank line, `\n\n` or `\r\n\r\n`), or -1. */
function eventEnd(text: string): number {
  const lf = text.indexOf('\n\n');
  const crlf = text.indexOf('\r\n\r\n');
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return crlf + 4;
  return lf === -1 ? -1 : lf + 2;
}
