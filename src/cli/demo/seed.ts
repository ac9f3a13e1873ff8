import type { KeyObject } from 'node:crypto';
import { access, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CliError } from '../errors.js';
import type { RegistryClient } from '../http.js';
import { as, exists, modelPath, send, step } from './api.js';
import { type DemoDatasets, writeDemoDatasets } from './datasets.js';
import { driftIncident } from './incident.js';
import { type Cast, cleanVersion, type Log, maliciousUpload, poisonedVersion, sampleModels } from './versions.js';

/** The model the story is about. */
export const DEMO_MODEL = 'fraud-detector';

/** The repository's sample models, found from this file in `src/` and in `dist/` alike. */
export const defaultModelsDir = resolve(import.meta.dirname, '../../../examples/models');

export interface SeedOptions {
  /** Where the generated datasets are written (created if missing; default: a new temporary folder). */
  readonly workDir?: string;
  /** Signs version 1 with this key; the server must trust its public half. Unsigned without it. */
  readonly signingKey?: KeyObject;
  /** Where the sample models are (default: the repository's examples/models). */
  readonly modelsDir?: string;
}

export interface DemoPrincipal {
  readonly name: string;
  /** A 7-day token, shown once. */
  readonly token: string;
}

export interface SeededDemo {
  readonly model: string;
  readonly versions: { readonly clean: number; readonly poisoned: number; readonly malicious: number };
  readonly principals: { readonly publisher: DemoPrincipal; readonly reviewer: DemoPrincipal };
  readonly incident: number;
  readonly datasets: DemoDatasets;
}

/** Whether the server already holds the demo's model (the story is told once per server). */
export async function isSeeded(admin: RegistryClient): Promise<boolean> {
  return exists(admin, modelPath(DEMO_MODEL));
}

/**
 * A demo account: created (or found, on a second attempt) by the admin, bound to the demo's model
 * only, with a fresh token that expires in a week, so seeding a real server leaves nothing broad or lasting.
 */
async function principal(
  admin: RegistryClient,
  name: string,
  kind: 'user' | 'service',
  role: 'publisher' | 'approver',
): Promise<DemoPrincipal> {
  const listed = await admin.json<{ id: number; name: string }[]>('/api/v1/principals');
  const id =
    listed.find((entry) => entry.name === name)?.id ??
    (
      await send<{ id: number }>(admin, 'POST', '/api/v1/principals', {
        name,
        kind,
        bindings: [{ scope: DEMO_MODEL, role }],
      })
    ).id;
  const { token } = await send<{ token: string }>(admin, 'POST', `/api/v1/principals/${id}/tokens`, { ttlDays: 7 });
  return { name, token };
}

/**
 * Tells the demo's story on a server through its HTTP API, as `admin` (a token with the admin role on
 * every model): a clean model in production, a version trained on poisoned data that the gate holds
 * back, a malicious upload the registry rejects, and a drift incident. One line per step goes to `log`.
 * Refuses a server that already holds the demo's model.
 */
export async function seedDemo(admin: RegistryClient, log: Log, options: SeedOptions = {}): Promise<SeededDemo> {
  if (await isSeeded(admin))
    throw new CliError('BAD_ARGUMENTS', `${admin.server} already has a model named ${DEMO_MODEL}: seeded before`);
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'mlsecops-demo-')));
  await mkdir(workDir, { recursive: true });
  const models = sampleModels(options.modelsDir ?? defaultModelsDir);
  for (const file of Object.values(models)) {
    // The npm package ships no examples folder: the demo runs from a checkout of the repository.
    await access(file).catch(() => {
      throw new CliError(
        'PATH_NOT_FOUND',
        `the demo needs the sample model ${file}; run it from a checkout of mlsecops`,
      );
    });
  }

  const { publisher, reviewer, datasets } = await step('accounts and datasets', async () => {
    const publisher = await principal(admin, 'demo-ci', 'service', 'publisher');
    const reviewer = await principal(admin, 'demo-reviewer', 'user', 'approver');
    await send(admin, 'POST', '/api/v1/models', {
      name: DEMO_MODEL,
      description: 'Scores card transactions as legit or fraud (mlsecops demo)',
    });
    const datasets = await writeDemoDatasets(workDir);
    log(
      `accounts: ${publisher.name} (publisher) and ${reviewer.name} (approver) on ${DEMO_MODEL}; datasets in ${workDir}`,
    );
    return { publisher, reviewer, datasets };
  });
  const cast: Cast = {
    admin,
    publisher: as(admin, publisher.token),
    reviewer: as(admin, reviewer.token),
    reviewerName: reviewer.name,
  };
  const clean = await step('clean model', () =>
    cleanVersion(cast, DEMO_MODEL, models.clean, datasets.clean, log, options.signingKey),
  );
  const poisoned = await step('poisoned dataset', () =>
    poisonedVersion(cast, DEMO_MODEL, models.retrained, datasets.poisoned, clean, log),
  );
  const malicious = await step('malicious upload', () => maliciousUpload(cast, DEMO_MODEL, models.malicious, log));
  const incident = await step('drift incident', () => driftIncident(cast, DEMO_MODEL, clean, datasets, log));
  return {
    model: DEMO_MODEL,
    versions: { clean, poisoned: poisoned.version, malicious },
    principals: { publisher, reviewer },
    incident,
    datasets,
  };
}
