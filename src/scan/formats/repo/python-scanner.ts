import type { FormatScanner, ScanContext, ScanInput } from '../../types.js';
import { listPython } from './python-static.js';

/**
 * Python files shipped with a model (remote-code modules, TorchServe handlers). Python has no magic
 * bytes, so this is the one scanner that goes by name: `.py` text outside strict (payload) sniffing.
 */
const maxSource = 4 << 20;
/** Verdict categories that matter in source code; file reads and getattr are everyday Python. */
const sourceCategories = new Set([
  'process-execution',
  'code-execution',
  'native-code',
  'network',
  'nested-deserialization',
]);

export const pythonScanner: FormatScanner = {
  name: 'python-source',
  version: '1',
  sniff: (head, hint) => !hint.strict && /\.py$/i.test(hint.name) && !head.includes(0),
  scan: scanPython,
};

async function scanPython(ctx: ScanContext, input: ScanInput): Promise<void> {
  const size = Math.min(input.source.size, maxSource);
  const listing = listPython((await input.source.read(0, size)).toString('utf8'));
  const dangerous = new Map<string, number>();
  for (const call of listing.calls) {
    const verdict = ctx.classify(call);
    if (verdict.verdict !== 'dangerous' || !sourceCategories.has(verdict.entry.category)) continue;
    if (verdict.entry.severity === 'medium') continue;
    const symbol = `${call.module}.${call.name}`;
    if (!dangerous.has(symbol)) dangerous.set(symbol, call.line);
  }
  const imports = listing.imports.slice(0, 20).join(', ') || 'nothing';
  ctx.report(input, {
    ruleId: 'repo.python-source',
    evidence: `${input.name} imports ${imports}${listing.imports.length > 20 ? ', …' : ''}`,
    properties: { imports: listing.imports.length },
  });
  if (dangerous.size > 0) {
    const list = [...dangerous].map(([symbol, line]) => `${symbol} (line ${line})`);
    ctx.report(input, {
      ruleId: 'repo.python-dangerous-call',
      evidence: `calls ${list.slice(0, 12).join(', ')}${list.length > 12 ? ', …' : ''}`,
      properties: { calls: dangerous.size },
    });
  }
  if (input.source.size > maxSource) {
    ctx.partial(input, 'LIMIT_EXCEEDED', `only the first ${maxSource} bytes of ${input.name} were listed`);
  }
}
