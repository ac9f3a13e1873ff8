import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeTemplate } from './template-analysis.js';

/**
 * Random text through the template analyser never throws. (Mutated GGUF and llamafile files go through
 * the real dispatcher in src/scan/engine/fuzz-formats.test.ts with every other format.)
 */
describe('chat template analysis under fuzzing', () => {
  it('analyses arbitrary template text without throwing', () => {
    const pieces = ['{{', '}}', '{%', '%}', '{#', '#}', "'", '"', '\\', '__', 'class', '.', '|', 'attr', '(', ')'];
    const more = ['[', ']', ' ', 'x', '~', '-', 'raw', 'endraw', '\\N{', '\\x5f'];
    const jinjaish = fc.array(fc.constantFrom(...pieces, ...more), { maxLength: 60 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(jinjaish, fc.string({ maxLength: 200 })), (text) => {
        const analysis = analyzeTemplate(text);
        expect(Array.isArray(analysis.signals)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
