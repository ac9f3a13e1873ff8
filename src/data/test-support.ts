import type { Detector } from './detectors/types.js';

/** A detector for engine tests: `TOKEN-` and three digits, so locations and spans can be checked exactly. */
export const tokenDetector: Detector = {
  id: 'secret.test-token',
  kind: 'secret',
  title: 'Test token',
  severity: 'high',
  description: 'test',
  remediation: 'test',
  quick: (text) => text.includes('TOKEN-'),
  detect: (text) =>
    [...text.matchAll(/TOKEN-\d{3}/g)].map((m) => ({
      entity: 'TEST_TOKEN',
      start: m.index,
      end: m.index + 9,
      score: 0.9,
    })),
};
