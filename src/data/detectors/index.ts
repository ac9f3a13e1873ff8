import { piiDetectors } from './pii/index.js';
import { secretDetectors } from './secrets/index.js';
import type { Detector } from './types.js';

/** Every detector, in the order they run: personal data, then secrets. */
export const defaultDetectors: readonly Detector[] = [...piiDetectors, ...secretDetectors];
