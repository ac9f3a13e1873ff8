export type AssistantMode = 'vulnerable' | 'hardened' | 'garbage' | 'oversized' | 'slow' | 'flaky' | 'judge-yes';

export interface Assistant {
  /** The chat-completions URL. */
  readonly url: string;
  /** Arrival time (ms) of every request. */
  readonly requests: number[];
  close(): Promise<void>;
}

export function startAssistant(options?: {
  mode?: AssistantMode;
  port?: number;
  host?: string;
  /** `slow` mode: how long each answer is delayed. */
  delayMs?: number;
  /** `flaky` mode: how many requests fail (429, 503, …) before it answers. */
  failures?: number;
}): Promise<Assistant>;
