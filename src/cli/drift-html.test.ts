import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../data/index.js';
import { driftReport, ProfileBuilder } from '../drift/index.js';
import { renderDriftHtml } from './render/drift-html.js';

function profile(seed: number, shift: number, rows = 3000) {
  const random = mulberry32(seed);
  const builder = new ProfileBuilder();
  for (let row = 0; row < rows; row++) {
    builder.add(row, 'amount', (50 + shift + random() * 20).toFixed(2));
    builder.add(row, 'country<script>', random() < 0.5 + shift / 100 ? 'FR' : 'DE');
    builder.add(row, 'steady', (random() * 5).toFixed(3));
  }
  return builder.build();
}

describe('drift HTML report', () => {
  it('is one self-contained page with a chart per drifted column and escaped names', async () => {
    const reference = profile(1, 0);
    const current = profile(2, 30);
    const html = await renderDriftHtml(driftReport(reference, current), reference, current);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('Dataset drift: 2 of 3 columns drifted');
    // A chart for each of the two drifted columns, none for the steady one.
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('<h3>amount</h3>');
    expect(html).toContain('country&lt;script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // nothing fetched from elsewhere
  });
});
