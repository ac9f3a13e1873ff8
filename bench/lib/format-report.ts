import type { Report } from '../../src/contracts/index.js';
import type { FormatTargetMeta } from './format-data.js';

/** The scan must recognise the format, scan every file it names and find nothing: these files are clean. */
export function checkClean(meta: FormatTargetMeta, report: Report): void {
  const problems: string[] = [];
  if (report.files.length !== meta.files.length)
    problems.push(`${report.files.length} files in the report, ${meta.files.length} on disk`);
  if (report.findings.length > 0)
    problems.push(`findings: ${report.findings.map((f) => `${f.ruleId} (${f.evidence.slice(0, 120)})`).join('; ')}`);
  for (const file of report.files) {
    if (file.status === 'error' || file.status === 'partial')
      problems.push(`${file.path}: ${file.status} ${file.errors.map((e) => `${e.code} ${e.message}`).join('; ')}`);
    const wanted = file.path.endsWith('.safetensors') ? 'safetensors' : file.path.endsWith('.onnx') ? 'onnx' : '';
    if (wanted && !(file.status === 'scanned' && file.formats.includes(wanted)))
      problems.push(`${file.path}: ${file.status} as ${file.formats.join('+') || 'nothing'}, not ${wanted}`);
  }
  if (!report.files.some((file) => file.formats.includes(meta.kind)))
    problems.push(`no file recognised as ${meta.kind}`);
  if (problems.length > 0)
    throw new Error(`bench formats: scan of ${meta.target} is wrong:\n  ${problems.join('\n  ')}`);
}

export interface FileBytes {
  readonly path: string;
  readonly formats: string;
  readonly bytesRead: number | undefined;
  readonly headerBytes: number;
}

/** `scanned safetensors ×20, scanned json ×3`: files of the report per status and formats. */
export function kinds(report: Report): string {
  const counts = new Map<string, number>();
  for (const file of report.files) {
    const key = `${file.status} ${file.formats.join('+') || '(no format)'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, count]) => (count > 1 ? `${key} ×${count}` : key)).join(', ');
}

/**
 * Bytes read per file (one scan of that file alone) against its header bytes, grouped by format: where the
 * reading goes. Each figure includes the ~190 B read of /proc/self/io that takes the measurement.
 */
export function perFileNote(files: readonly FileBytes[]): string {
  const groups = new Map<string, { count: number; read: number; header: number; max: number }>();
  for (const file of files) {
    if (file.bytesRead === undefined) return 'per-file figures n/a';
    const group = groups.get(file.formats) ?? { count: 0, read: 0, header: 0, max: 0 };
    group.count++;
    group.read += file.bytesRead;
    group.header += file.headerBytes;
    group.max = Math.max(group.max, file.bytesRead);
    groups.set(file.formats, group);
  }
  const parts = [...groups].map(
    ([formats, group]) =>
      `${formats}${group.count > 1 ? ` ×${group.count}` : ''}: ${group.read.toLocaleString('en-US')} B read for ${group.header.toLocaleString('en-US')} B of header${group.count > 1 ? ` (max ${group.max.toLocaleString('en-US')} B per file)` : ''}`,
  );
  return `per file, scanned alone: ${parts.join('; ')}`;
}
