import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contractJsonSchemas } from './json-schema.js';

describe('published JSON Schemas', () => {
  it.each(
    Object.entries(contractJsonSchemas()),
  )('docs/schemas/%s matches the zod contract (npm run schemas)', (name, schema) => {
    const committed = JSON.parse(readFileSync(new URL(`../../docs/schemas/${name}`, import.meta.url), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(schema)));
  });
});
