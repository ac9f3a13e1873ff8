import type { Detector } from './types.js';

/** Every detector, in the order they run. Personal-data and secret detectors land here as data. */
export const defaultDetectors: readonly Detector[] = [];
