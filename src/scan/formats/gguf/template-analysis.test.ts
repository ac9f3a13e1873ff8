import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeTemplate } from './template-analysis.js';

const templates = join(import.meta.dirname, 'testdata/templates');
interface Entry {
  readonly file: string;
  readonly level?: string;
}
const manifest = JSON.parse(readFileSync(join(templates, 'manifest.json'), 'utf8')) as {
  benign: Entry[];
  malicious: Entry[];
};
const read = (kind: string, file: string): string => readFileSync(join(templates, kind, file), 'utf8');

describe('chat templates of popular model families', () => {
  it.each(manifest.benign.map((entry) => [entry.file]))('%s is clean and parses', (file) => {
    const analysis = analyzeTemplate(read('benign', file));
    expect(analysis.signals).toEqual([]);
    expect(analysis.parseError).toBeUndefined();
  });
});

describe('template-injection payloads', () => {
  it.each(manifest.malicious.map((entry) => [entry.file, entry.level] as const))('%s is %s', (file, level) => {
    const analysis = analyzeTemplate(read('malicious', file));
    if (level === 'unparsed') expect(analysis.parseError).toBeDefined();
    else expect(analysis.signals.map((signal) => signal.level)).toContain(level);
  });

  it.each([
    ["{{ x['\\N{LOW LINE}\\N{LOW LINE}class\\N{LOW LINE}\\N{LOW LINE}'] }}", 'critical'],
    ["{{ x['\\137\\137class\\137\\137'] }}", 'critical'],
    ["{{ getattr(x, '__class__') }}", 'critical'],
    ['{{ self._TemplateReference__context }}', 'critical'],
    ["{% set a = '__cl' %}{% set b = 'ass__' %}{{ x|attr(a ~ b) }}", 'critical'],
    ["{{ ('__ssalc__'|reverse) }}", 'critical'],
    ["{% include 'other.jinja' %}", 'high'],
    ['{{ x._private }}', 'high'],
    ['{{ x|attr(name) }}', 'high'],
    ['{{ x.__len__() }}', 'high'],
    ["{{ (x|attr('os')) }}", 'high'],
    ['{% raw %}{{ self.__init__ }}{% endraw %}', undefined],
    ['{# {{ self.__init__.__globals__ }} #}hello', undefined],
    ["{{ messages|map(attribute='content')|join(' ') }}", undefined],
    ['{% set ns = namespace(found=false) %}{% for m in messages %}{% set ns.found = true %}{% endfor %}', undefined],
  ])('%s → %s', (template, level) => {
    const levels = analyzeTemplate(template).signals.map((signal) => signal.level);
    if (level === undefined) expect(levels).toEqual([]);
    else expect(levels).toContain(level);
  });

  it('reports templates that do not parse', () => {
    expect(analyzeTemplate('{% for m in messages %}').parseError).toBeDefined();
    expect(analyzeTemplate("{{ 'unclosed }}").parseError).toBeDefined();
  });

  it('stays linear on large and deeply nested input', () => {
    const started = performance.now();
    analyzeTemplate(`{{ ${'('.repeat(50_000)}x${')'.repeat(50_000)} }}`);
    analyzeTemplate(`${'{{ message.content }} text '.repeat(20_000)}`);
    analyzeTemplate(`{{ x }}${' '.repeat(1 << 20)}{% if y %}`);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
