import { FormatError } from '../../io/cursor.js';
import type { FormatScanner, ScanContext, ScanInput } from '../../types.js';
import { type GgufInfo, type GgufTemplate, maxTemplateBytes, readGguf } from './gguf-reader.js';
import { analyzeTemplate, type TemplateSignal } from './template-analysis.js';

/**
 * GGUF (llama.cpp, ollama, LM Studio, llama-cpp-python): weights plus metadata. The weights are data;
 * the code risk is the Jinja chat template in the metadata, which llama-cpp-python rendered with an
 * unsandboxed Jinja2 (CVE-2024-34359). Templates are analysed statically and never rendered.
 */
const magic = Buffer.from('GGUF', 'latin1');
const shownSignals = 4;

export const ggufScanner: FormatScanner = {
  name: 'gguf',
  version: '1',
  sniff: (head) => head.length >= 8 && head.subarray(0, 4).equals(magic),
  scan: scanGguf,
};

async function scanGguf(ctx: ScanContext, input: ScanInput): Promise<void> {
  const info: GgufInfo = { general: new Map(), tensorProblems: 0, tensorExamples: [] };
  try {
    await readGguf(input.source, info, {
      tick: () => ctx.checkTime(),
      onTemplate: (template) => reportTemplate(ctx, input, template),
    });
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    const where = info.version === undefined ? '' : `GGUF v${info.version}: `;
    const ruleId = error.kind === 'limit' ? 'scan.limit-exceeded' : 'scan.malformed';
    ctx.report(input, { ruleId, evidence: `${where}${error.message}` });
    ctx.partial(input, error.kind === 'limit' ? 'LIMIT_EXCEEDED' : 'PARSE_ERROR', error.message);
  }
  if (info.tensorProblems > 0) {
    ctx.report(input, {
      ruleId: 'gguf.tensor-out-of-bounds',
      evidence: `${info.tensorProblems} tensor info(s) do not fit the file, e.g. ${info.tensorExamples.join('; ')}`,
      properties: { tensors: info.tensorProblems },
    });
  }
}

function reportTemplate(ctx: ScanContext, input: ScanInput, template: GgufTemplate): void {
  const analysis = analyzeTemplate(template.text);
  const base = { key: template.key, offset: template.offset };
  const critical = analysis.signals.filter((signal) => signal.level === 'critical');
  const high = analysis.signals.filter((signal) => signal.level === 'high');
  if (critical.length > 0) {
    ctx.report(input, {
      ruleId: 'gguf.chat-template-injection',
      evidence: evidence(template, critical),
      offset: template.offset,
      properties: { ...base, signals: critical.map((signal) => signal.what).join('; ') },
    });
  }
  if (high.length > 0) {
    ctx.report(input, {
      ruleId: 'gguf.chat-template-suspicious',
      evidence: evidence(template, high),
      offset: template.offset,
      properties: { ...base, signals: high.map((signal) => signal.what).join('; ') },
    });
  }
  if (analysis.parseError !== undefined) {
    ctx.report(input, {
      ruleId: 'gguf.chat-template-unparsed',
      evidence: `${template.key}: ${analysis.parseError}`,
      offset: template.offset,
      properties: base,
    });
  }
  if (template.truncated) {
    const message = `${template.key} is longer than ${maxTemplateBytes} bytes; only its start was analysed`;
    ctx.report(input, { ruleId: 'scan.limit-exceeded', evidence: message, offset: template.offset });
    ctx.partial(input, 'LIMIT_EXCEEDED', message);
  }
}

function evidence(template: GgufTemplate, signals: readonly TemplateSignal[]): string {
  const first = signals[0] as TemplateSignal;
  const excerpt = template.text.slice(Math.max(0, first.at - 20), first.at + 100).replace(/\s+/g, ' ');
  const more = signals.length > shownSignals ? ` and ${signals.length - shownSignals} more` : '';
  const listed = signals
    .slice(0, shownSignals)
    .map((signal) => signal.what)
    .join('; ');
  return `${template.key}: ${listed}${more} — near ${JSON.stringify(excerpt)}`;
}
