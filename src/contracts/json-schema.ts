import { z } from 'zod';
import { driftReportSchema } from './drift.js';
import { evidenceSchema, gateDecisionSchema } from './evidence.js';
import { findingSchema } from './finding.js';
import { reportSchema } from './report.js';

/** The JSON Schemas published in docs/schemas, generated from the zod definitions. */
export function contractJsonSchemas(): Record<string, unknown> {
  return {
    'drift-report.schema.json': z.toJSONSchema(driftReportSchema, { target: 'draft-2020-12' }),
    'evidence.schema.json': z.toJSONSchema(evidenceSchema, { target: 'draft-2020-12' }),
    'gate-decision.schema.json': z.toJSONSchema(gateDecisionSchema, { target: 'draft-2020-12' }),
    'finding.schema.json': z.toJSONSchema(findingSchema, { target: 'draft-2020-12' }),
    'report.schema.json': z.toJSONSchema(reportSchema, { target: 'draft-2020-12' }),
  };
}
