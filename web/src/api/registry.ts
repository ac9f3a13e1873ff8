import type { Api } from './client.js';
import type { AliasMove, StoredDecision, Version } from './types.js';

/** A model path segment; names are plain identifiers already, encoding keeps it that way. */
export const modelPath = (name: string, rest = '') => `models/${encodeURIComponent(name)}${rest}`;

export interface AliasState {
  readonly alias: string;
  /** The version the alias points to now, or null (never set, or cleared). */
  readonly current: number | null;
  readonly moves: readonly AliasMove[];
}

/** Aliases every model may have; custom ones are found in the model's stored gate decisions. */
export const builtInAliases = ['production', 'staging'] as const;

/** Every alias of a model with its history, newest move last (the server has no list of aliases). */
export async function loadAliases(api: Api, model: string, signal?: AbortSignal): Promise<AliasState[]> {
  const { decisions } = await api.get<{ decisions: StoredDecision[] }>(
    modelPath(model, '/gate-decisions'),
    { limit: 1000 },
    signal,
  );
  const names = [...new Set<string>([...builtInAliases, ...decisions.map((decision) => decision.alias)])];
  return Promise.all(
    names.map(async (alias) => {
      const { moves } = await api.get<{ moves: AliasMove[] }>(
        modelPath(model, `/aliases/${encodeURIComponent(alias)}/history`),
        undefined,
        signal,
      );
      return { alias, moves, current: moves.at(-1)?.version ?? null };
    }),
  );
}

export function loadVersions(api: Api, model: string, signal?: AbortSignal): Promise<Version[]> {
  return api.get<Version[]>(modelPath(model, '/versions'), undefined, signal);
}

/** Aliases pointing to each version number. */
export function aliasesByVersion(aliases: readonly AliasState[]): Map<number, string[]> {
  const map = new Map<number, string[]>();
  for (const alias of aliases) {
    if (alias.current === null) continue;
    map.set(alias.current, [...(map.get(alias.current) ?? []), alias.alias]);
  }
  return map;
}
