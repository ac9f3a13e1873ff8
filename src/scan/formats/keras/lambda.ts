import type { Reference } from '../../../contracts/index.js';
import { cve } from '../../rule-refs.js';
import type { ScanContext, ScanInput } from '../../types.js';
import { dangerousCodeNames } from './config-data.js';
import { summarizeCode } from './marshal.js';

/** Largest base64 text of one serialized function that is decoded (real lambdas take a few KiB). */
const maxCodeText = 4 << 20;

export interface Where {
  readonly origin: string;
  readonly path: string;
  readonly legacyH5: boolean;
}

/** Reports a Lambda's marshalled code: what it names, critical when that reaches the OS or eval. */
export function reportLambdaCode(
  ctx: ScanContext,
  input: ScanInput,
  where: Where,
  encoded: string,
  layer: string,
): void {
  const references: Reference[] = where.legacyH5 ? [cve('CVE-2025-9905')] : [];
  const location = `${where.origin} ${where.path}${layer ? ` (layer ${JSON.stringify(layer)})` : ''}`;
  const summary =
    encoded.length <= maxCodeText && /^[A-Za-z0-9+/=\s]*$/.test(encoded)
      ? summarizeCode(Buffer.from(encoded, 'base64'))
      : undefined;
  if (!summary) {
    ctx.report(input, {
      ruleId: 'keras.lambda-code',
      evidence: `${location}: ${encoded.length} characters of serialized function that could not be decoded as a Python code object`,
      references,
      properties: { decoded: false },
    });
    return;
  }
  const dangerous = [...summary.names, ...summary.strings].filter((name) => dangerousCodeNames.has(name));
  const shown = (values: string[]): string =>
    values
      .slice(0, 20)
      .map((value) => JSON.stringify(value.slice(0, 80)))
      .join(', ') || 'none';
  const calls =
    dangerous.length > 0
      ? `; reaches ${[...new Set(dangerous)].map((name) => `${name} (${dangerousCodeNames.get(name)})`).join(', ')}`
      : '';
  ctx.report(input, {
    ruleId: 'keras.lambda-code',
    evidence: `${location}: code object (${summary.layout} layout) names ${shown(summary.names)}; string constants ${shown(summary.strings)}${calls}`,
    severity: dangerous.length > 0 ? 'critical' : 'high',
    references,
    properties: {
      decoded: true,
      names: summary.names.slice(0, 50).join(' '),
      ...(dangerous.length > 0 ? { dangerous: [...new Set(dangerous)].join(' ') } : {}),
    },
  });
}

/**
 * The base64 code of a serialized Python function, wherever Keras versions put it: Keras 2 `func_dump`
 * output `[code, defaults, closure]` or a bare string, Keras 3 `{class_name: '__lambda__', config: {code}}`.
 */
export function lambdaCodeOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  if (isRecord(value) && value.class_name === '__lambda__' && isRecord(value.config)) {
    const code = value.config.code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
