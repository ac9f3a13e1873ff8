import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fieldRows } from './cel-types.js';
import { packNames, packs } from './packs/index.js';
import { packRules } from './packs/rules.js';

/** The generated parts of docs/policy.md, compared like golden files (UPDATE_GOLDEN=1 rewrites them). */
const docs = resolve(import.meta.dirname, '../../docs/policy.md');
const cell = (text: string) => text.replace(/\|/g, '\\|');

const sections: Record<string, () => string> = {
  'evidence-fields': () =>
    [
      '| Variable | CEL type | Meaning |',
      '| --- | --- | --- |',
      ...fieldRows().map((row) => `| \`${row.path}\` | \`${row.type}\` | ${cell(row.description)} |`),
    ].join('\n'),
  packs: () =>
    [
      '| Pack | What it asks | Rules |',
      '| --- | --- | --- |',
      ...packNames.map(
        (name) =>
          `| \`${name}\` | ${cell(packs[name].description)} | ${packs[name].rules.map((id) => `\`${id}\``).join(', ')} |`,
      ),
      '',
      '| Rule | Severity | When | Passes when |',
      '| --- | --- | --- | --- |',
      ...Object.entries(packRules).map(
        ([id, rule]) =>
          `| \`${id}\` ${cell(rule.title)} | ${rule.severity} | ${'when' in rule ? `\`${cell(rule.when)}\`` : ''} | \`${cell(rule.expr)}\` |`,
      ),
    ].join('\n'),
};

describe('docs/policy.md', () => {
  it.each(Object.keys(sections))('has the %s table as the code defines it', (name) => {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const text = readFileSync(docs, 'utf8');
    const current = text.slice(text.indexOf(start), text.indexOf(end) + end.length);
    const generated = `${start}\n${sections[name]!()}\n${end}`;
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(docs, text.replace(current, generated));
    else expect(current).toBe(generated);
  });
});
