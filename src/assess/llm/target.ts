import { readFile, stat } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ToolDefinition } from './tools.js';

/** A target described in a file (YAML or JSON); flags given on the command line win over it. */
export const targetConfigSchema = z.object({
  url: z.string().url(),
  model: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  systemPrompt: z.string().min(1).optional(),
  tools: z
    .array(
      z.object({
        type: z.literal('function'),
        function: z.object({ name: z.string().min(1), description: z.string().optional(), parameters: z.unknown() }),
      }),
    )
    .optional(),
});
export type TargetConfig = z.infer<typeof targetConfigSchema>;

export class TargetError extends Error {
  constructor(
    readonly code: 'BAD_TARGET' | 'CONFIG_TOO_LARGE',
    message: string,
  ) {
    super(message);
    this.name = 'TargetError';
  }
}

const maxConfigBytes = 1024 * 1024;

/** `--target` is a URL or the path of a config file. */
export async function loadTarget(target: string): Promise<TargetConfig> {
  if (/^https?:\/\//i.test(target)) return { url: target };
  const info = await stat(target).catch(() => {
    throw new TargetError('BAD_TARGET', `target is neither an http(s) URL nor a readable file: ${target}`);
  });
  if (info.size > maxConfigBytes)
    throw new TargetError('CONFIG_TOO_LARGE', `target config over ${maxConfigBytes} bytes`);
  const text = await readFile(target, 'utf8');
  let raw: unknown;
  try {
    raw = parseYaml(text) as unknown; // YAML is a superset of JSON
  } catch (error) {
    throw new TargetError('BAD_TARGET', `cannot parse ${target}: ${(error as Error).message}`);
  }
  const parsed = targetConfigSchema.safeParse(raw);
  if (!parsed.success)
    throw new TargetError(
      'BAD_TARGET',
      `${target}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/** The chat-completions endpoint of a base URL: `…/chat/completions` as given, else under `/v1`. */
export function chatCompletionsUrl(url: string): string {
  const u = new URL(url);
  const path = u.pathname.replace(/\/+$/, '');
  if (path.endsWith('/chat/completions')) return u.toString();
  u.pathname = path.endsWith('/v1') ? `${path}/chat/completions` : `${path}/v1/chat/completions`;
  return u.toString();
}

/** `k: v` header flags into a record; a malformed one is a BAD_TARGET. */
export function parseHeaders(values: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values) {
    const colon = value.indexOf(':');
    if (colon <= 0) throw new TargetError('BAD_TARGET', `header must be "name: value": ${value}`);
    headers[value.slice(0, colon).trim().toLowerCase()] = value.slice(colon + 1).trim();
  }
  return headers;
}

export const configTools = (config: TargetConfig): ToolDefinition[] =>
  (config.tools ?? []).map((t) => ({ type: 'function', function: t.function }));
