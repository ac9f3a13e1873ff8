import type { ColumnProfile, ReferenceProfile } from './profile.js';

/** A profile's columns by name, built once per profile: the gateway checks every request against one. */
const columnIndex = new WeakMap<ReferenceProfile, Map<string, ColumnProfile>>();

function columnsOf(profile: ReferenceProfile): Map<string, ColumnProfile> {
  let columns = columnIndex.get(profile);
  if (!columns) {
    columns = new Map(profile.columns.map((column) => [column.name, column]));
    columnIndex.set(profile, columns);
  }
  return columns;
}

/** Why an input does not fit the profile. */
export interface ProfileViolation {
  readonly feature: string;
  readonly reason: 'type' | 'range' | 'category' | 'unknown-feature';
  readonly value: string;
}

/**
 * Checks one query instance against a profile: numbers outside the reference range widened by
 * `tolerance` of its width, values of the wrong type, categories never seen in a complete list, and
 * features the reference never had. An array instance is read by position in `names` (default: the
 * profile's column order). Missing values are allowed; at most `limit` violations are returned.
 */
export function profileViolations(
  profile: ReferenceProfile,
  instance: unknown,
  options: { tolerance: number; names?: readonly string[] | undefined; limit?: number },
): ProfileViolation[] {
  const columns = columnsOf(profile);
  const entries: [string, unknown][] = Array.isArray(instance)
    ? instance
        .slice(0, 10_000)
        .map((value, index) => [
          (options.names ? options.names[index] : profile.columns[index]?.name) ?? `#${index}`,
          value,
        ])
    : instance && typeof instance === 'object'
      ? Object.entries(instance).slice(0, 10_000)
      : [];
  const out: ProfileViolation[] = [];
  const limit = options.limit ?? 10;
  for (const [feature, value] of entries) {
    if (out.length >= limit) break;
    if (value === null || value === undefined) continue;
    const column = columns.get(feature);
    const shown = String(value).slice(0, 64);
    if (!column) {
      out.push({ feature, reason: 'unknown-feature', value: shown });
      continue;
    }
    if (column.type === 'number') {
      const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
      if (!Number.isFinite(number)) out.push({ feature, reason: 'type', value: shown });
      else {
        const slack = (column.max - column.min) * options.tolerance;
        if (number < column.min - slack || number > column.max + slack)
          out.push({ feature, reason: 'range', value: shown });
      }
    } else if (typeof value === 'object') out.push({ feature, reason: 'type', value: shown });
    else if (column.other === 0 && !Object.hasOwn(column.categories, String(value))) {
      out.push({ feature, reason: 'category', value: shown });
    }
  }
  return out;
}
