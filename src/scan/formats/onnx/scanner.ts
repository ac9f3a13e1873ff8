import { ProtoError, ProtoReader } from '../../io/proto-reader.js';
import type { FormatScanner, ScanContext, ScanInput } from '../../types.js';
import { knownDomainSet, pythonOp } from './domains.js';
import { ExternalDataChecker } from './external-data.js';
import { sniffOnnx } from './sniff.js';
import { OnnxWalker, type OpUse, opKey } from './walker.js';

/**
 * ONNX ModelProto. Nothing in an ONNX file runs by itself; the risks are what the runtime does on its
 * behalf: read external data from paths the file names (path traversal, CVE-2022-25882, CVE-2024-27318,
 * CVE-2025-51480), run operators from custom-op libraries, or call Python. The file is walked as
 * protobuf byte ranges: tensor data is skipped by length and external data files are only stat'ed.
 */
export const onnxScanner: FormatScanner = {
  name: 'onnx',
  version: '1',
  sniff: (head, hint) => sniffOnnx(head, hint.size, !hint.strict && hint.name.toLowerCase().endsWith('.onnx')),
  scan: scanOnnx,
};

async function scanOnnx(ctx: ScanContext, input: ScanInput): Promise<void> {
  const reader = new ProtoReader(input.source, () => ctx.checkTime());
  const walker = new OnnxWalker(reader, new ExternalDataChecker(ctx, input));
  try {
    await walker.model(0, input.source.size);
  } catch (error) {
    if (!(error instanceof ProtoError)) throw error;
    const message = `ONNX ModelProto is malformed: ${error.message}`;
    ctx.report(input, { ruleId: 'scan.malformed', evidence: message, properties: { format: 'onnx' } });
    ctx.partial(input, 'PARSE_ERROR', message);
  }
  // Operators seen before a parse error are still reported: a loader that tolerates the damage runs them.
  reportOps(ctx, input, walker);
  if (walker.opsOverflow) ctx.partial(input, 'LIMIT_EXCEEDED', 'more distinct ONNX operators than are tracked');
}

function reportOps(ctx: ScanContext, input: ScanInput, walker: OnnxWalker): void {
  for (const use of walker.ops.values()) {
    const python = pythonOp(use.domain, use.opType);
    if (python) {
      ctx.report(input, {
        ruleId: 'onnx.python-op',
        severity: python.severity,
        evidence: `${describe(use)}: ${python.reason}${attributes(use)}`,
        offset: use.at,
        properties: { format: 'onnx', domain: use.domain, opType: use.opType, count: use.count },
      });
      continue;
    }
    // A call to a function the model defines itself is resolved inside the file.
    if (walker.functions.has(opKey(use.domain, use.opType))) continue;
    if (knownDomainSet.has(use.domain)) continue;
    ctx.report(input, {
      ruleId: 'onnx.custom-domain',
      evidence: `${describe(use)} needs a custom-op library for domain ${JSON.stringify(use.domain)}`,
      offset: use.at,
      properties: { format: 'onnx', domain: use.domain, opType: use.opType, count: use.count },
    });
  }
}

function describe(use: OpUse): string {
  const times = use.count > 1 ? ` (${use.count} nodes)` : '';
  return `operator ${use.domain ? `${use.domain}::` : ''}${use.opType} at ${use.where}${times}`;
}

function attributes(use: OpUse): string {
  const shown = Object.entries(use.attributes)
    .slice(0, 6)
    .map(([name, value]) => `${name}=${JSON.stringify(value.slice(0, 120))}`);
  return shown.length > 0 ? `; ${shown.join(', ')}` : '';
}
