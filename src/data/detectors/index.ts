import { secretDetectors } from './secrets/index.js';
import type { Detector } from './types.js';

/** Every detector, in the order they run. */
export const defaultDetectors: readonly Detector[] = [...secretDetectors];
