import { z } from 'zod';
import type { Database } from '../store/index.js';
import { actorOf, type Principal } from './access.js';
import type { AuditTrail } from './audit-trail.js';
import { RegistryError } from './errors.js';
import { MODEL_NAME } from './models.js';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex SHA-256');

/** What a version says about itself: tags, a model card, lineage and free-form metadata, bounded. */
export const annotationsSchema = z
  .object({
    tags: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/)).max(64),
    modelCard: z.string().max(64 * 1024),
    lineage: z.object({
      datasets: z
        .array(z.object({ name: z.string().max(256), sha256 }))
        .max(256)
        .default([]),
      code: z
        .array(z.object({ uri: z.string().max(2048), commit: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/) }))
        .max(64)
        .default([]),
      parents: z
        .array(z.object({ model: z.string().regex(MODEL_NAME), version: z.number().int().positive() }))
        .max(64)
        .default([]),
    }),
    metadata: z.record(z.string().max(128), z.union([z.string().max(4096), z.number(), z.boolean()])),
  })
  .partial()
  .refine((value) => JSON.stringify(value).length <= 256 * 1024, 'annotations larger than 256 KiB');

export type Annotations = z.infer<typeof annotationsSchema>;

/** Merges annotations into a version's metadata: each field given replaces the stored one. */
export async function annotateVersion(
  database: Database,
  audit: AuditTrail,
  principal: Principal,
  model: string,
  number: number,
  annotations: Annotations,
): Promise<Annotations> {
  const version = await database.db
    .selectFrom('model_versions')
    .innerJoin('models', 'models.id', 'model_versions.model_id')
    .select(['model_versions.id', 'model_versions.metadata'])
    .where('models.name', '=', model)
    .where('model_versions.number', '=', number)
    .executeTakeFirst();
  if (!version) throw new RegistryError('NOT_FOUND', `no version ${number} of ${model}`);
  for (const parent of annotations.lineage?.parents ?? []) {
    const exists = await database.db
      .selectFrom('model_versions')
      .innerJoin('models', 'models.id', 'model_versions.model_id')
      .select('model_versions.id')
      .where('models.name', '=', parent.model)
      .where('model_versions.number', '=', parent.version)
      .executeTakeFirst();
    if (!exists)
      throw new RegistryError('INVALID', `lineage parent ${parent.model} version ${parent.version} does not exist`);
  }
  const merged = { ...(JSON.parse(version.metadata) as Record<string, unknown>), ...annotations };
  await database.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('model_versions')
      .set({ metadata: JSON.stringify(merged) })
      .where('id', '=', version.id)
      .execute();
    await audit.append(tx, {
      kind: 'version.annotated',
      actor: actorOf(principal),
      details: { model, version: number, fields: Object.keys(annotations), lineage: annotations.lineage },
    });
  });
  return annotationsSchema.parse(
    Object.fromEntries(
      Object.entries(merged).filter(([key]) => ['tags', 'modelCard', 'lineage', 'metadata'].includes(key)),
    ),
  );
}
