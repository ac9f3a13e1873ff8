import { writeFileSync } from 'node:fs';
import { contractJsonSchemas } from '../src/contracts/json-schema.js';

// Regenerates docs/schemas from src/contracts; a test fails when they drift apart.
for (const [name, schema] of Object.entries(contractJsonSchemas())) {
  writeFileSync(new URL(`../docs/schemas/${name}`, import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
}
