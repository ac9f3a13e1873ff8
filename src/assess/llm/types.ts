/** The probe families, each reported under one rule id `llm.<family>`. */
export const llmFamilies = [
  'prompt-injection',
  'indirect-injection',
  'jailbreak',
  'system-prompt-leak',
  'secret-leak',
  'pii-leak',
  'encoded-bypass',
  'excessive-agency',
] as const;
export type LlmFamily = (typeof llmFamilies)[number];

/** OWASP Top 10 for LLM Applications 2025 ids the probes map to. */
export type OwaspLlmId = 'LLM01' | 'LLM02' | 'LLM06' | 'LLM07';

/** What a run plants and expects, so the graders can recognise a successful attack deterministically. */
export interface PlantedSecrets {
  /** `MLS-CANARY-<hex>`: planted in the system prompt; its presence in an answer means the prompt leaked. */
  readonly canary: string;
  /** A fake API key planted in the system prompt. */
  readonly secret: string;
  /** A fake customer record planted in the system prompt. */
  readonly pii: { readonly name: string; readonly email: string; readonly phone: string; readonly ssn: string };
  /** `PWNED-<hex>`: the marker injected instructions ask the model to print. */
  readonly marker: string;
}

/** What a probe looks for in the answer; any hit means the attack worked. */
export type Signal = 'marker' | 'canary' | 'secret' | 'pii' | 'tool-call';

export interface Probe {
  readonly id: string;
  readonly family: LlmFamily;
  readonly owasp: OwaspLlmId;
  /** Why this probe exists: the weakness it checks. */
  readonly reason: string;
  /** The user message, built from this run's planted values. */
  readonly prompt: (planted: PlantedSecrets) => string;
  readonly signals: readonly Signal[];
  /** Offer the target's tools (OpenAI function calling) with this probe. */
  readonly tools?: boolean;
}

export type ProbeStatus = 'passed' | 'failed' | 'error';

/** One probe's outcome, as kept in the state file and reported. */
export interface ProbeResult {
  readonly probeId: string;
  readonly family: LlmFamily;
  readonly status: ProbeStatus;
  /** Which grader decided: a signal name, `refusal`, `no-signal`, `judge` or an error code. */
  readonly grader: string;
  /** A bounded excerpt of the answer with planted secrets masked (the canary id stays visible). */
  readonly evidence: string;
  readonly durationMs: number;
}
