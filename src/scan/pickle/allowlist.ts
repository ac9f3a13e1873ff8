import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { GlobalEntry } from './globals-types.js';

const IDENTIFIER = '[A-Za-z_][A-Za-z0-9_]*';
const DOTTED_SOURCE = `${IDENTIFIER}(?:\\.${IDENTIFIER})*`;
const DOTTED = new RegExp(`^${DOTTED_SOURCE}$`);
const GLOBAL = new RegExp(`^${DOTTED_SOURCE}:(?:\\*|${DOTTED_SOURCE})$`);

const modulePath = z.string().regex(DOTTED, 'must be a dotted module path such as mypkg.layers');
// Names may be dotted qualnames (Outer.Inner), which match exactly; `*` means any plain name in the module.
const attributeName = z
  .string()
  .refine((name) => name === '*' || DOTTED.test(name), 'must be an identifier, a dotted qualname, or *');
const reason = z.string().trim().min(1, 'must say why this global was reviewed as safe');

const shortEntry = z.strictObject({
  global: z.string().regex(GLOBAL, 'must be module:name, e.g. mypkg.layers:CustomLayer or mypkg.layers:*'),
  reason,
});

const longEntry = z.strictObject({
  module: modulePath,
  names: z.array(attributeName).min(1, 'must list at least one name (or *)'),
  submodules: z.boolean().optional(),
  reason,
});

const allowlistFile = z.strictObject({ allow: z.array(z.unknown()) });

export type AllowlistResult = { ok: true; entries: GlobalEntry[] } | { ok: false; issues: string[] };

/** Issues read `origin: allow[2].names[0]: problem`, naming the entry index and the field. */
function describe(origin: string, base: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    let path = base;
    for (const key of issue.path) path += typeof key === 'number' ? `[${key}]` : `${path ? '.' : ''}${String(key)}`;
    return `${origin}: ${path || '(document)'}: ${issue.message}`;
  });
}

function toEntry(item: unknown, index: number, origin: string): GlobalEntry | string[] {
  const at = `allow[${index}]`;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return [`${origin}: ${at}: must be a mapping with either global or module`];
  }
  const hasGlobal = 'global' in item;
  const hasModule = 'module' in item;
  if (hasGlobal === hasModule) {
    return [`${origin}: ${at}: must have exactly one of global (module:name) or module (with names)`];
  }
  const note = `${origin} allowlist`;
  if (hasGlobal) {
    const parsed = shortEntry.safeParse(item);
    if (!parsed.success) return describe(origin, at, parsed.error);
    const colon = parsed.data.global.indexOf(':');
    return {
      module: parsed.data.global.slice(0, colon),
      names: [parsed.data.global.slice(colon + 1)],
      verdict: 'safe',
      category: 'user-allowlist',
      reason: `${parsed.data.reason} (${note})`,
    };
  }
  const parsed = longEntry.safeParse(item);
  if (!parsed.success) return describe(origin, at, parsed.error);
  return {
    module: parsed.data.module,
    names: parsed.data.names,
    ...(parsed.data.submodules ? { submodules: true } : {}),
    verdict: 'safe',
    category: 'user-allowlist',
    reason: `${parsed.data.reason} (${note})`,
  };
}

/**
 * Parses a user allowlist (YAML, or JSON, which YAML also reads). Entries always come back with verdict
 * 'safe'; the classifier consults them only after its dangerous check, so they cannot clear a dangerous global.
 * `origin` (usually the file path) prefixes every issue and is recorded in each entry's reason.
 */
export function parseAllowlist(text: string, origin: string): AllowlistResult {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    return { ok: false, issues: [`${origin}: not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`] };
  }
  const file = allowlistFile.safeParse(document);
  if (!file.success) {
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      return { ok: false, issues: [`${origin}: must be a mapping with an allow list`] };
    }
    return { ok: false, issues: describe(origin, '', file.error) };
  }
  const entries: GlobalEntry[] = [];
  const issues: string[] = [];
  file.data.allow.forEach((item, index) => {
    const result = toEntry(item, index, origin);
    if (Array.isArray(result)) issues.push(...result);
    else entries.push(result);
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, entries };
}
