import type { Probe } from '../types.js';
import { agencyProbes } from './agency.js';
import { encodingProbes } from './encoding.js';
import { injectionProbes } from './injection.js';
import { jailbreakProbes } from './jailbreak.js';
import { leakageProbes } from './leakage.js';

/** Every probe, in a stable order; ids are unique and are the keys of the state file. */
export const llmProbes: readonly Probe[] = [
  ...injectionProbes,
  ...jailbreakProbes,
  ...leakageProbes,
  ...encodingProbes,
  ...agencyProbes,
];
