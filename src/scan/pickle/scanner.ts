import { atLeast, type Reference, type Severity } from '../../contracts/index.js';
import { BufferSource } from '../io/source.js';
import { cve, ghsa } from '../rules.js';
import type { FormatScanner, ScanContext, ScanInput } from '../types.js';
import type { GlobalEntry } from './globals-types.js';
import { joblibArraySkip } from './joblib.js';
import { collectStorages, legacyMagic, legacyPickleCount, walkStorages } from './legacy-torch.js';
import { type MachineLimits, PickleMachine } from './machine.js';
import { opcodes } from './opcodes.js';
import type { ImportRecord } from './records.js';
import { type PickleEnd, runPickleStream } from './stream.js';
import { render } from './values.js';

const inlineBytes = 1 << 20;
const maxWindow = 256 << 20;
const maxLine = 64 << 20;

/**
 * Pickles are recognised by a trial run of the machine over the first bytes: text, JSON, CSV and
 * random binary fail within a few opcodes, while every pickle protocol parses cleanly.
 */
export function looksLikePickle(head: Buffer, size: number): boolean {
  if (head.length === 0 || opcodes[head[0] as number] === undefined) return false;
  if (head[0] === 0x80 && (head[1] ?? 0xff) > 5) return false;
  const machine = new PickleMachine({
    maxStack: 1 << 16,
    maxMemo: 1 << 16,
    maxLine: head.length,
    inlineBytes: head.length,
  });
  machine.buf = head;
  machine.end = head.length;
  machine.sourceSize = size;
  const result = machine.run(head.length >= size);
  if (result.kind === 'stop') return true;
  return result.kind === 'need' && machine.opCount >= 2;
}

export const pickleScanner: FormatScanner = {
  name: 'pickle',
  version: '1',
  sniff: (head, hint) => looksLikePickle(head, hint.size),
  scan: scanPickle,
};

async function scanPickle(ctx: ScanContext, input: ScanInput): Promise<void> {
  const limits: MachineLimits = {
    maxStack: ctx.limits.maxPickleStack,
    maxMemo: ctx.limits.maxPickleMemo,
    maxLine,
    inlineBytes,
  };
  const machine = new PickleMachine(limits);
  let legacy = false;
  let storages: Map<string, number | undefined> | undefined;
  const end = await runPickleStream(input.source, machine, {
    limits,
    maxWindow,
    checkpoint: () => ctx.timeLeft(),
    onBuild: joblibArraySkip,
    afterPickle: (index, value) => {
      if (index === 1 && value === legacyMagic) {
        legacy = true;
        ctx.format('torch-legacy');
        storages = collectStorages(machine);
      }
      return legacy && index === legacyPickleCount ? 'stop' : 'continue';
    },
  });

  const payloads = await scanPayloads(ctx, input, machine);
  reportImports(ctx, input, machine, payloads);
  reportOddities(ctx, input, machine);
  await reportEnd(ctx, input, end);
  if (legacy && end.kind === 'complete' && end.pickles === legacyPickleCount && storages) {
    await checkLegacyTail(ctx, input, end.offset, storages);
  }
}

/** Scans byte strings that hold a pickle or archive of their own; returns the most severe finding per offset. */
async function scanPayloads(
  ctx: ScanContext,
  input: ScanInput,
  machine: PickleMachine,
): Promise<Map<number, Severity | 'none'>> {
  const results = new Map<number, Severity | 'none'>();
  const formats = new Map<string, number>();
  for (const bytes of machine.embedded) {
    if (results.has(bytes.offset)) continue;
    ctx.checkTime();
    const source = bytes.data ? new BufferSource(bytes.data) : input.source.slice(bytes.offset, bytes.length);
    const nested = await ctx.scanNested(input, `@${bytes.offset}`, source, { strict: true });
    if (!nested) continue;
    results.set(bytes.offset, nested.highest ?? 'none');
    formats.set(nested.format, (formats.get(nested.format) ?? 0) + 1);
  }
  const first = machine.embedded.find((bytes) => results.has(bytes.offset));
  if (first) {
    const summary = [...formats].map(([format, n]) => `${n} ${format}`).join(', ');
    ctx.report(input, {
      ruleId: 'pickle.nested-payload',
      evidence: `${results.size} embedded serialized object(s) (${summary}) were analysed, the first at offset ${first.offset}`,
      offset: first.offset,
      properties: { payloads: results.size },
    });
  }
  return results;
}

/**
 * Argument-aware verdicts: a dangerous entry with `harmlessWhen` is quiet when every direct call passes
 * harmless arguments and the global is never used any other way we can see.
 */
function isHarmlessUse(entry: GlobalEntry, record: ImportRecord, payloads: Map<number, Severity | 'none'>): boolean {
  const when = entry.harmlessWhen;
  if (!when || record.directCalls === 0 || record.opaqueArgs > 0) return false;
  if (
    record.firstArgs.size > 0 &&
    !(when.firstArgIn && [...record.firstArgs].every((arg) => when.firstArgIn?.includes(arg)))
  ) {
    return false;
  }
  if (record.payloadArgs.length > 0) {
    if (!when.cleanPayload) return false;
    return record.payloadArgs.every((offset) => {
      const highest = payloads.get(offset);
      return highest !== undefined && (highest === 'none' || !atLeast(highest, 'medium'));
    });
  }
  return true;
}

function reportImports(
  ctx: ScanContext,
  input: ScanInput,
  machine: PickleMachine,
  payloads: Map<number, Severity | 'none'>,
): void {
  for (const record of machine.imports.values()) {
    const verdict = ctx.classify({ module: record.module, name: record.name });
    if (verdict.verdict === 'safe') continue;
    if (verdict.verdict === 'dangerous' && isHarmlessUse(verdict.entry, record, payloads)) continue;
    const symbol = `${record.module}.${record.name}`;
    const calls = record.calls.map((call) => render(call));
    const called = calls.length > 0 ? `; called as ${calls.join('; ')}` : '';
    const seen = `${record.opcode} at offset ${record.firstOffset}${record.count > 1 ? `, ${record.count} times` : ''}`;
    const properties = { global: symbol, opcode: record.opcode, occurrences: record.count };
    if (verdict.verdict === 'dangerous') {
      const { entry, matched } = verdict;
      const via =
        matched.module === record.module && matched.name === record.name
          ? ''
          : ` (reaches ${matched.module}.${matched.name})`;
      ctx.report(input, {
        ruleId: 'pickle.dangerous-global',
        title: `Pickle imports ${symbol}`,
        severity: entry.severity ?? 'critical',
        category: entry.category,
        evidence: `imports ${symbol}${via} by ${seen}${called}. ${entry.reason}`,
        offset: record.firstOffset,
        references: (entry.references ?? []).map(toReference),
        properties,
      });
    } else {
      ctx.report(input, {
        ruleId: 'pickle.unknown-global',
        title: `Pickle imports unreviewed global ${symbol}`,
        evidence: `imports ${symbol} by ${seen}${called}`,
        offset: record.firstOffset,
        properties,
      });
    }
  }
}

function reportOddities(ctx: ScanContext, input: ScanInput, machine: PickleMachine): void {
  const ruleFor = {
    ext: 'pickle.extension-code',
    frame: 'pickle.frame-mismatch',
    buffer: 'pickle.out-of-band-buffer',
    persid: undefined,
  } as const;
  for (const kind of ['ext', 'frame', 'buffer'] as const) {
    const hits = machine.oddities.filter((oddity) => oddity.kind === kind);
    const first = hits[0];
    const ruleId = ruleFor[kind];
    if (!first || !ruleId) continue;
    ctx.report(input, {
      ruleId,
      evidence: `${hits
        .map((hit) => `${hit.detail} at offset ${hit.offset}`)
        .slice(0, 5)
        .join('; ')}${hits.length > 5 ? '; …' : ''}`,
      offset: first.offset,
    });
  }
}

async function reportEnd(ctx: ScanContext, input: ScanInput, end: PickleEnd): Promise<void> {
  if (end.kind === 'complete') return;
  if (end.kind === 'limit') {
    ctx.report(input, {
      ruleId: 'scan.limit-exceeded',
      evidence: `${end.message} at offset ${end.offset}`,
      offset: end.offset,
    });
    ctx.partial(input, 'LIMIT_EXCEEDED', end.message);
    return;
  }
  if (end.pickles === 0) {
    ctx.report(input, {
      ruleId: 'pickle.parse-error',
      evidence: `${end.message} at offset ${end.offset} of ${input.source.size} bytes; imports before this point are reported`,
      offset: end.offset,
    });
    ctx.partial(input, 'PARSE_ERROR', end.message);
  } else {
    ctx.report(input, {
      ruleId: 'pickle.trailing-data',
      evidence: `after ${end.pickles} complete pickle(s), the data does not parse as a pickle: ${end.message} at offset ${end.offset}`,
      offset: end.offset,
    });
  }
}

async function checkLegacyTail(
  ctx: ScanContext,
  input: ScanInput,
  start: number,
  storages: Map<string, number | undefined>,
): Promise<void> {
  const walk = await walkStorages(input.source, start, storages);
  const tail = walk.ok ? walk.end : walk.offset;
  if (walk.ok && tail === input.source.size) return;
  const member = `@${tail}`;
  const nested = await ctx.scanNested(input, member, input.source.slice(tail, input.source.size - tail), {
    strict: true,
  });
  ctx.report(input, {
    ruleId: 'pickle.trailing-data',
    evidence: walk.ok
      ? `${input.source.size - tail} bytes follow the last tensor storage${nested ? ` and hold a ${nested.format} object (analysed)` : ''}`
      : `tensor storages could not be walked (${walk.reason}); the remaining ${input.source.size - tail} bytes were ${nested ? `analysed as ${nested.format}` : 'not analysed'}`,
    offset: tail,
  });
}

function toReference(id: string): Reference {
  if (id.startsWith('CVE-')) return cve(id);
  if (id.startsWith('GHSA-')) return ghsa(id);
  return { kind: 'url', id };
}
