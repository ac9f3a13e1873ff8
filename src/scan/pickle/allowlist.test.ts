import { describe, expect, it } from 'vitest';
import { parseAllowlist } from './allowlist.js';
import { createGlobalClassifier } from './verdicts.js';

const YAML_TEXT = `# mlsecops allowlist
allow:
  - global: mypkg.layers:CustomLayer   # module:name
    reason: our own layer, reviewed 2026-11
  - module: mypkg.models
    names: ['*']
    submodules: true
    reason: internal model classes
`;

describe('parseAllowlist', () => {
  it('parses the short and long forms', () => {
    const result = parseAllowlist(YAML_TEXT, 'allow.yaml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.entries).toHaveLength(2);
    expect(result.entries[0]).toMatchObject({
      module: 'mypkg.layers',
      names: ['CustomLayer'],
      verdict: 'safe',
      category: 'user-allowlist',
    });
    expect(result.entries[0]?.reason).toContain('our own layer');
    expect(result.entries[0]?.reason).toContain('allow.yaml');
    expect(result.entries[1]).toMatchObject({ module: 'mypkg.models', names: ['*'], submodules: true });
  });

  it('parses JSON', () => {
    const json = JSON.stringify({ allow: [{ global: 'mypkg:Net', reason: 'reviewed' }] });
    const result = parseAllowlist(json, 'allow.json');
    expect(result).toMatchObject({ ok: true, entries: [{ module: 'mypkg', names: ['Net'] }] });
  });

  it('accepts an empty allow list and dotted qualnames', () => {
    expect(parseAllowlist('allow: []', 'a')).toEqual({ ok: true, entries: [] });
    const result = parseAllowlist('allow:\n  - global: "mypkg:Outer.Inner"\n    reason: nested class', 'a');
    expect(result).toMatchObject({ ok: true, entries: [{ names: ['Outer.Inner'] }] });
  });

  it.each([
    ['not yaml', 'allow: [\n', /not valid YAML or JSON/],
    ['not a mapping', '- a\n- b\n', /must be a mapping/],
    ['empty document', '', /must be a mapping/],
    ['missing allow', 'other: 1\n', /allow/],
    ['unknown top-level key', 'allow: []\nextra: 1\n', /extra|Unrecognized/i],
  ])('rejects %s', (_label, text, pattern) => {
    const result = parseAllowlist(text, 'f.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.join('\n')).toMatch(pattern);
      for (const issue of result.issues) expect(issue.startsWith('f.yaml: ')).toBe(true);
    }
  });

  it.each([
    ['no colon', '  - global: mypkg.Net\n    reason: x', 'allow[0].global'],
    ['bad module', '  - global: "my-pkg:Net"\n    reason: x', 'allow[0].global'],
    ['missing reason', '  - global: mypkg:Net', 'allow[0].reason'],
    ['blank reason', '  - global: mypkg:Net\n    reason: "  "', 'allow[0].reason'],
    [
      'both forms',
      '  - global: mypkg:Net\n    module: mypkg\n    names: [Net]\n    reason: x',
      'allow[0]: must have exactly one',
    ],
    ['neither form', '  - reason: x', 'allow[0]: must have exactly one'],
    ['not a mapping', '  - mypkg:Net', 'allow[0]: must be a mapping'],
    ['empty names', '  - module: mypkg\n    names: []\n    reason: x', 'allow[0].names'],
    ['bad name', '  - module: mypkg\n    names: ["a b"]\n    reason: x', 'allow[0].names[0]'],
    [
      'bad submodules',
      '  - module: mypkg\n    names: [A]\n    submodules: yes please\n    reason: x',
      'allow[0].submodules',
    ],
    ['unknown key', '  - global: mypkg:Net\n    reason: x\n    verdict: dangerous', 'allow[0]'],
  ])('names the entry and problem: %s', (_label, body, expected) => {
    const result = parseAllowlist(`allow:\n${body}\n`, 'f.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.join('\n')).toContain(`f.yaml: ${expected}`);
  });

  it('reports issues for every bad entry, with its own index', () => {
    const text =
      'allow:\n  - global: ok:Fine\n    reason: fine\n  - global: bad\n    reason: x\n  - module: m\n    reason: x\n';
    const result = parseAllowlist(text, 'f.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.some((issue) => issue.includes('allow[1]'))).toBe(true);
      expect(result.issues.some((issue) => issue.includes('allow[2].names'))).toBe(true);
      expect(result.issues.some((issue) => issue.includes('allow[0]'))).toBe(false);
    }
  });

  it('feeds the classifier, which still refuses to clear dangerous globals', () => {
    const result = parseAllowlist('allow:\n  - module: os\n    names: ["*"]\n    reason: trust me\n', 'f.yaml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const classify = createGlobalClassifier(result.entries);
    expect(classify({ module: 'os', name: 'system' }).verdict).toBe('dangerous');
    const layer = parseAllowlist(YAML_TEXT, 'allow.yaml');
    if (!layer.ok) throw new Error('fixture must parse');
    const withLayer = createGlobalClassifier(layer.entries);
    expect(withLayer({ module: 'mypkg.layers', name: 'CustomLayer' })).toMatchObject({
      verdict: 'safe',
      origin: 'user',
    });
    expect(withLayer({ module: 'mypkg.models.vision', name: 'Backbone' })).toMatchObject({ verdict: 'safe' });
    expect(withLayer({ module: 'mypkg.layers', name: 'Other' }).verdict).toBe('unknown');
  });
});
