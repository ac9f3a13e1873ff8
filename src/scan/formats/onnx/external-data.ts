import { realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { ScanContext, ScanInput } from '../../types.js';

/** What a tensor says about its external data (TensorProto.external_data key/value pairs). */
export interface ExternalRef {
  readonly tensor: string;
  readonly location: string | undefined;
  readonly offset: string | undefined;
  readonly length: string | undefined;
  /** TensorProto.data_location: 1 (EXTERNAL) is what loaders honour. */
  readonly dataLocation: number;
  readonly at: number;
}

type ExternalRule =
  | 'onnx.external-data-outside-model'
  | 'onnx.external-data-missing'
  | 'onnx.external-data-out-of-range';
type Target =
  | { kind: 'missing' }
  | { kind: 'outside'; real: string }
  | { kind: 'file'; size: number }
  | { kind: 'other'; what: string };

/** Absolute in any convention a loader may run on: POSIX, Windows drive, UNC or rooted backslash. */
export function isAbsoluteLocation(location: string): boolean {
  return location.startsWith('/') || location.startsWith('\\') || /^[A-Za-z]:/.test(location) || isAbsolute(location);
}

export function climbs(location: string): boolean {
  return location.split(/[\\/]/).includes('..');
}

/**
 * Checks external data references lexically, and for a model file on disk against the real folder: the
 * target is resolved through symbolic links and stat'ed, never opened. Results are cached per location,
 * so a 2 GiB model with a thousand tensors in one data file costs one realpath and one stat.
 */
export class ExternalDataChecker {
  private readonly targets = new Map<string, Promise<Target>>();
  private readonly reported = new Set<string>();
  private findings = 0;
  private readonly folder: string | undefined;
  private realFolder: Promise<string> | undefined;

  constructor(
    private readonly ctx: ScanContext,
    private readonly input: ScanInput,
  ) {
    this.folder = input.depth === 0 && input.member === undefined ? dirname(resolve(input.path)) : undefined;
  }

  async check(ref: ExternalRef): Promise<void> {
    const ignored = ref.dataLocation === 1 ? '' : ' (data_location is not EXTERNAL, so current loaders ignore it)';
    const where = `tensor ${JSON.stringify(ref.tensor.slice(0, 200))}`;
    const location = ref.location;
    if (location === undefined || location === '') {
      this.once('onnx.external-data-missing', '', `${where} has external data without a location${ignored}`, ref.at);
      return;
    }
    const shown = JSON.stringify(location.slice(0, 300));
    if (isAbsoluteLocation(location) || climbs(location) || location.includes('\0')) {
      const why = isAbsoluteLocation(location) ? 'is absolute' : climbs(location) ? 'climbs with ".."' : 'holds a NUL';
      this.once(
        'onnx.external-data-outside-model',
        location,
        `${where}: external data location ${shown} ${why}${ignored}`,
        ref.at,
      );
      return;
    }
    if (this.folder === undefined) return; // inside an archive or a nested object: no folder to check against
    const target = await this.target(location);
    if (target.kind === 'missing') {
      this.once(
        'onnx.external-data-missing',
        location,
        `${where}: external data file ${shown} does not exist${ignored}`,
        ref.at,
      );
    } else if (target.kind === 'outside') {
      this.once(
        'onnx.external-data-outside-model',
        location,
        `${where}: external data location ${shown} resolves to ${JSON.stringify(target.real)}, outside the model folder${ignored}`,
        ref.at,
      );
    } else if (target.kind === 'other') {
      this.once(
        'onnx.external-data-out-of-range',
        location,
        `${where}: ${shown} is ${target.what}, not a regular file`,
        ref.at,
      );
    } else {
      const offset = parseCount(ref.offset ?? '0');
      const length = ref.length === undefined ? 0 : parseCount(ref.length);
      if (offset === undefined || length === undefined) {
        this.report(
          'onnx.external-data-out-of-range',
          `${where}: offset ${ref.offset} / length ${ref.length} are not numbers`,
          ref.at,
        );
      } else if (offset + length > target.size) {
        this.report(
          'onnx.external-data-out-of-range',
          `${where}: bytes ${offset}..${offset + length} of ${shown} requested, the file has ${target.size}`,
          ref.at,
        );
      }
    }
  }

  private once(ruleId: ExternalRule, location: string, evidence: string, at: number): void {
    const key = `${ruleId}\0${location}`;
    if (this.reported.has(key) || this.findings > 1000) return;
    this.reported.add(key);
    this.report(ruleId, evidence, at);
  }

  private report(ruleId: ExternalRule, evidence: string, offset: number): void {
    // Out-of-range findings are per tensor; a hostile file with millions of them still yields a bounded report.
    if (++this.findings > 1000) return;
    this.ctx.report(this.input, { ruleId, evidence, offset, properties: { format: 'onnx' } });
  }

  private target(location: string): Promise<Target> {
    let pending = this.targets.get(location);
    if (!pending) {
      pending = this.resolveTarget(location);
      if (this.targets.size < 10_000) this.targets.set(location, pending);
    }
    return pending;
  }

  private async resolveTarget(location: string): Promise<Target> {
    const folder = this.folder as string;
    this.realFolder ??= realpath(folder).catch(() => folder);
    const base = await this.realFolder;
    let real: string;
    try {
      real = await realpath(resolve(folder, location));
    } catch {
      return { kind: 'missing' };
    }
    const rel = relative(base, real);
    if (rel.startsWith('..') || isAbsolute(rel)) return { kind: 'outside', real };
    const info = await stat(real).catch(() => undefined);
    if (!info) return { kind: 'missing' };
    if (!info.isFile()) return { kind: 'other', what: info.isDirectory() ? 'a folder' : 'a device, FIFO or socket' };
    return { kind: 'file', size: info.size };
  }
}

function parseCount(text: string): number | undefined {
  return /^\s*\d{1,16}\s*$/.test(text) ? Number(text) : undefined;
}
