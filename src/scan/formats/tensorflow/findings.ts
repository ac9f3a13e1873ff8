import type { Severity } from '../../../contracts/index.js';
import type { RuleId, ScanContext, ScanInput } from '../../types.js';
import { climbs, isAbsoluteLocation } from '../onnx/external-data.js';
import { dangerousOps } from './dangerous-ops.js';
import { type FlaggedNode, inputNode, type Scope, type TfGraphWalker } from './graph.js';
import { standardOps } from './standard-ops.js';

/** A path leaves the model when it is absolute, climbs, or names another file system (gs://, s3://, hdfs://, http://). */
export function escapes(path: string): boolean {
  return isAbsoluteLocation(path) || climbs(path) || /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(path);
}

interface Draft {
  ruleId: RuleId;
  severity: Severity;
  op: string;
  detail: string;
  where: string;
  at: number;
  count: number;
}

const maxGroups = 200;

/**
 * Turns what the walker saw into findings, one per (rule, op, severity) with a count, so a graph with
 * ten thousand ReadFile nodes yields one line rather than ten thousand.
 */
export function reportGraph(ctx: ScanContext, input: ScanInput, walker: TfGraphWalker, format: string): void {
  const groups = new Map<string, Draft>();
  const add = (draft: Omit<Draft, 'count'>) => {
    const key = `${draft.ruleId}\0${draft.op}\0${draft.severity}`;
    const seen = groups.get(key);
    if (seen) seen.count++;
    else if (groups.size < maxGroups) groups.set(key, { ...draft, count: 1 });
  };
  for (const scope of walker.scopes) {
    for (const node of scope.flagged) classify(scope, node, walker, add);
  }
  for (const [op, use] of walker.ops) {
    if (standardOps.has(op) || dangerousOps[op] || walker.functionNames.has(op)) continue;
    const detail = op === '' ? 'a node without an op type' : 'is not a standard TensorFlow op';
    add({ ruleId: 'tensorflow.unknown-op', severity: 'medium', op, detail, where: use.where, at: use.at });
  }
  for (const draft of groups.values()) {
    const times = draft.count > 1 ? ` (and ${draft.count - 1} more)` : '';
    ctx.report(input, {
      ruleId: draft.ruleId,
      severity: draft.severity,
      evidence: `op ${draft.op || '""'} at ${draft.where}: ${draft.detail}${times}`,
      offset: draft.at,
      properties: { format, op: draft.op, count: draft.count },
    });
  }
}

function classify(scope: Scope, node: FlaggedNode, walker: TfGraphWalker, add: (draft: Omit<Draft, 'count'>) => void) {
  const base = { op: node.op, where: `${scope.where}/${node.name}`, at: node.at };
  // A library function named like a dangerous op is a call to that function, which is walked itself.
  if (walker.functionNames.has(node.op)) return;
  if (node.op === 'PrintV2') {
    const stream = node.attrs.get('output_stream')?.[0] ?? '';
    if (stream.startsWith('file://')) {
      add({
        ...base,
        ruleId: 'tensorflow.filesystem-op',
        severity: 'high',
        detail: `prints to ${JSON.stringify(stream)}`,
      });
    }
    return;
  }
  const danger = dangerousOps[node.op];
  if (!danger) return;
  const paths = [
    ...(danger.pathInputs ?? []).flatMap((index) => constStrings(scope, node.inputs[index])),
    ...(danger.pathAttr && danger.kind !== 'debug-url' ? (node.attrs.get(danger.pathAttr) ?? []) : []),
  ];
  const outside = paths.filter(escapes);
  const shown = (list: readonly string[]) =>
    list
      .slice(0, 3)
      .map((p) => JSON.stringify(p.slice(0, 200)))
      .join(', ');
  switch (danger.kind) {
    case 'python':
      add({ ...base, ruleId: 'tensorflow.python-op', severity: 'critical', detail: danger.reason });
      break;
    case 'exec-name':
      add({ ...base, ruleId: 'tensorflow.unknown-op', severity: 'high', detail: danger.reason });
      break;
    case 'file': {
      const where = paths.length > 0 ? `; constant path ${shown(outside.length > 0 ? outside : paths)}` : '';
      const severity = outside.length > 0 ? 'critical' : 'high';
      add({ ...base, ruleId: 'tensorflow.filesystem-op', severity, detail: `${danger.reason}${where}` });
      break;
    }
    case 'path-argument':
      if (outside.length > 0) {
        const detail = `${danger.reason}: constant path ${shown(outside)}`;
        add({ ...base, ruleId: 'tensorflow.file-path-outside-model', severity: 'critical', detail });
      }
      break;
    case 'debug-url':
      for (const url of node.attrs.get('debug_urls') ?? []) {
        const toFile = url.startsWith('file://');
        add({
          ...base,
          ruleId: toFile ? 'tensorflow.filesystem-op' : 'tensorflow.network-op',
          severity: 'high',
          detail: `${danger.reason}: ${JSON.stringify(url.slice(0, 200))}`,
        });
      }
      break;
  }
}

function constStrings(scope: Scope, input: string | undefined): readonly string[] {
  return input === undefined ? [] : (scope.consts.get(inputNode(input)) ?? []);
}
