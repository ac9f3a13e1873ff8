import { randomUUID } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Finding, Report, Severity } from '../contracts/index.js';
import { toolVersion } from '../version.js';
import { HashPool } from './hash-pool.js';
import { computeManifest, type Manifest, type Serialization, serializationFor } from './manifest.js';
import { datasetDescriptor } from './provenance.js';

/** Model-card sources are small; larger files are read only this far. */
const MAX_CARD_BYTES = 256 << 10;

export interface BomInput {
  /** The model folder or file. */
  readonly model: string;
  readonly serialization?: Serialization;
  /** Dataset files or folders the model was trained or evaluated on, hashed into `data` components. */
  readonly datasets?: readonly string[];
  /** A scan report of the model: its findings become vulnerabilities, its summary properties. */
  readonly scan?: Report;
  readonly pool?: HashPool;
}

/** What a model card says, from a Hugging Face README front matter and `config.json`. */
export interface ModelCardFacts {
  task?: string;
  architectureFamily?: string;
  modelArchitecture?: string;
  datasets: string[];
  license?: string;
  baseModel?: string;
  languages: string[];
  metrics: { type: string; value: string; slice?: string }[];
  limitations: string[];
  useCases: string[];
}

/**
 * A CycloneDX 1.6 AI bill of materials for a model: a `machine-learning-model` component with the OMS
 * root digest and one `file` component per file with its SHA-256, a model card from what the folder
 * says about itself, the datasets as `data` components the model depends on, and, when a scan report is
 * given, its findings as vulnerabilities. Nothing in the model is executed or deserialized: only a
 * README's YAML front matter and `config.json` are read, and only as data.
 */
export async function buildBom(input: BomInput): Promise<Record<string, unknown>> {
  const pool = input.pool ?? new HashPool();
  try {
    const manifest = await computeManifest(input.model, input.serialization ?? serializationFor(), pool);
    const card = await modelCardFacts(input.model);
    const modelRef = `model:${manifest.modelName}`;
    const datasets = [];
    for (const path of input.datasets ?? []) {
      const descriptor = await datasetDescriptor(path, pool);
      datasets.push({
        type: 'data',
        'bom-ref': `dataset:${descriptor.name}:${descriptor.digest.sha256!.slice(0, 12)}`,
        name: descriptor.name ?? path,
        hashes: [{ alg: 'SHA-256', content: descriptor.digest.sha256 }],
        data: [{ type: 'dataset', name: descriptor.name ?? path }],
        properties: [{ name: 'mlsecops:digest-of', value: String(descriptor.annotations?.digestOf ?? 'file') }],
      });
    }
    const component = modelComponent(manifest, card, modelRef, datasets);
    const bom: Record<string, unknown> = {
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      serialNumber: `urn:uuid:${randomUUID()}`,
      version: 1,
      metadata: {
        timestamp: new Date().toISOString(),
        tools: { components: [{ type: 'application', name: 'mlsecops', version: toolVersion }] },
        component,
      },
      components: datasets,
      dependencies: [
        { ref: modelRef, dependsOn: datasets.map((dataset) => dataset['bom-ref']) },
        ...datasets.map((dataset) => ({ ref: dataset['bom-ref'] })),
      ],
    };
    if (input.scan) bom.vulnerabilities = vulnerabilities(input.scan, manifest, modelRef);
    return bom;
  } finally {
    if (!input.pool) await pool.close();
  }
}

function modelComponent(
  manifest: Manifest,
  card: ModelCardFacts,
  modelRef: string,
  datasets: readonly { 'bom-ref': string; name: string }[],
): Record<string, unknown> {
  const modelParameters: Record<string, unknown> = {};
  if (card.task) modelParameters.task = card.task;
  if (card.architectureFamily) modelParameters.architectureFamily = card.architectureFamily;
  if (card.modelArchitecture) modelParameters.modelArchitecture = card.modelArchitecture;
  const cardDatasets = [
    ...datasets.map((dataset) => ({ ref: dataset['bom-ref'] })),
    ...card.datasets.map((name) => ({ type: 'dataset', name })),
  ];
  if (cardDatasets.length) modelParameters.datasets = cardDatasets;
  const modelCard: Record<string, unknown> = { modelParameters };
  if (card.metrics.length) {
    modelCard.quantitativeAnalysis = {
      performanceMetrics: card.metrics.map((metric) => ({
        type: metric.type,
        value: metric.value,
        ...(metric.slice ? { slice: metric.slice } : {}),
      })),
    };
  }
  const considerations: Record<string, unknown> = {};
  if (card.limitations.length) considerations.technicalLimitations = card.limitations;
  if (card.useCases.length) considerations.useCases = card.useCases;
  if (Object.keys(considerations).length) modelCard.considerations = considerations;
  const properties = [
    { name: 'mlsecops:oms-root-digest', value: `sha256:${manifest.rootDigest}` },
    { name: 'mlsecops:oms-serialization', value: manifest.serialization.method },
    ...(card.baseModel ? [{ name: 'mlsecops:base-model', value: card.baseModel }] : []),
    ...card.languages.map((language) => ({ name: 'mlsecops:language', value: language })),
  ];
  return {
    type: 'machine-learning-model',
    'bom-ref': modelRef,
    name: manifest.modelName,
    hashes: [{ alg: 'SHA-256', content: manifest.rootDigest }],
    ...(card.license ? { licenses: [{ license: { name: card.license } }] } : {}),
    modelCard,
    properties,
    components: manifest.resources.map((resource) => ({
      type: 'file',
      'bom-ref': `${modelRef}/${resource.name}`,
      name: resource.name,
      hashes: [{ alg: 'SHA-256', content: resource.digest }],
    })),
  };
}

const cyclonedxSeverity: Record<Severity, string> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  info: 'info',
};

/** Scan findings as CycloneDX vulnerabilities, each affecting the model file it was found in. */
function vulnerabilities(report: Report, manifest: Manifest, modelRef: string): Record<string, unknown>[] {
  const files = new Set(manifest.resources.map((resource) => resource.name));
  return report.findings.map((finding: Finding, index) => {
    const member = fileOf(finding.location.path, files);
    return {
      'bom-ref': `finding:${index + 1}`,
      id: finding.ruleId,
      source: { name: 'mlsecops scan' },
      ratings: [{ severity: cyclonedxSeverity[finding.severity], method: 'other' }],
      description: `${finding.title}: ${finding.evidence}`,
      ...(finding.remediation ? { recommendation: finding.remediation } : {}),
      affects: [{ ref: member ? `${modelRef}/${member}` : modelRef }],
    };
  });
}

/** The manifest file a finding's path names (scan paths are absolute or relative; manifest names are model-relative). */
function fileOf(path: string, files: ReadonlySet<string>): string | undefined {
  const normalised = path.split('\\').join('/');
  for (const name of files) if (normalised === name || normalised.endsWith(`/${name}`)) return name;
  return undefined;
}

/** Model-card facts from `README.md` front matter and `config.json`, when the model folder has them. */
export async function modelCardFacts(model: string): Promise<ModelCardFacts> {
  const facts: ModelCardFacts = { datasets: [], languages: [], metrics: [], limitations: [], useCases: [] };
  const info = await stat(model);
  if (!info.isDirectory()) return facts;
  const readme = await readSmall(join(model, 'README.md'));
  if (readme) readCardText(readme, facts);
  const config = await readSmall(join(model, 'config.json'));
  if (config) readConfig(config, facts);
  return facts;
}

async function readSmall(path: string): Promise<string | undefined> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const buffer = Buffer.alloc(MAX_CARD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MAX_CARD_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 1000) : undefined;
const texts = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value])
    .map(text)
    .filter((item): item is string => item !== undefined)
    .slice(0, 100);

/** README front matter (YAML, as data only: no custom tags) and sections on limitations and uses. */
export function readCardText(readme: string, facts: ModelCardFacts): void {
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readme);
  if (match) {
    let front: unknown;
    try {
      front = parseYaml(match[1]!, { schema: 'core', maxAliasCount: 10, uniqueKeys: false });
    } catch {
      front = undefined;
    }
    if (front && typeof front === 'object' && !Array.isArray(front)) {
      const meta = front as Record<string, unknown>;
      facts.task ??= text(meta.pipeline_tag);
      facts.license ??= text(meta.license);
      facts.baseModel ??= texts(meta.base_model)[0];
      facts.datasets.push(...texts(meta.datasets));
      facts.languages.push(...texts(meta.language));
      readModelIndex(meta['model-index'], facts);
    }
  }
  const body = match ? readme.slice(match[0].length) : readme;
  facts.limitations.push(...section(body, /limitations|bias, risks/i));
  facts.useCases.push(...section(body, /^(intended )?uses?\b|direct use/i));
}

/** `model-index[].results[].metrics[]`: type, value, and the dataset as the slice. */
function readModelIndex(index: unknown, facts: ModelCardFacts): void {
  if (!Array.isArray(index)) return;
  for (const entry of index.slice(0, 20)) {
    const results = (entry as { results?: unknown })?.results;
    if (!Array.isArray(results)) continue;
    for (const result of results.slice(0, 50)) {
      const dataset = text((result as { dataset?: { name?: unknown } })?.dataset?.name);
      const metrics = (result as { metrics?: unknown })?.metrics;
      if (!Array.isArray(metrics)) continue;
      for (const metric of metrics.slice(0, 50)) {
        const type = text((metric as { type?: unknown })?.type) ?? text((metric as { name?: unknown })?.name);
        const value = (metric as { value?: unknown })?.value;
        if (!type || (typeof value !== 'number' && typeof value !== 'string')) continue;
        facts.metrics.push({ type, value: String(value), ...(dataset ? { slice: dataset } : {}) });
      }
    }
  }
}

/** The paragraphs under a markdown heading matching `heading`, up to the next heading of any level. */
function section(body: string, heading: RegExp): string[] {
  const lines = body.split(/\r?\n/);
  const out: string[] = [];
  for (let i = 0; i < lines.length && out.length < 20; i++) {
    const title = /^#{1,6}\s+(.*)$/.exec(lines[i]!);
    if (!title || !heading.test(title[1]!.trim())) continue;
    let paragraph = '';
    for (let j = i + 1; j < lines.length && !/^#{1,6}\s/.test(lines[j]!); j++) {
      const line = lines[j]!.trim();
      if (line === '') {
        if (paragraph) out.push(paragraph.slice(0, 2000));
        paragraph = '';
      } else paragraph = paragraph ? `${paragraph} ${line.replace(/^[-*]\s+/, '')}` : line.replace(/^[-*]\s+/, '');
    }
    if (paragraph) out.push(paragraph.slice(0, 2000));
  }
  return out.filter((paragraph) => !/^\[more information needed\]$/i.test(paragraph));
}

/** `architectures` and `model_type` from a transformers `config.json`. */
function readConfig(config: string, facts: ModelCardFacts): void {
  let json: unknown;
  try {
    json = JSON.parse(config);
  } catch {
    return;
  }
  if (!json || typeof json !== 'object') return;
  const meta = json as Record<string, unknown>;
  facts.modelArchitecture ??= texts(meta.architectures)[0];
  facts.architectureFamily ??= text(meta.model_type);
}
