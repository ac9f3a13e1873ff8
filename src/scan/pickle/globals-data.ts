import { dangerousCoreEntries } from './globals-data-dangerous.js';
import { dangerousIoEntries } from './globals-data-dangerous-io.js';
import { dangerousLibraryEntries } from './globals-data-dangerous-libs.js';
import { safeEntries } from './globals-data-safe.js';
import type { GlobalEntry } from './globals-types.js';

/** All built-in verdict data; order only matters for ties in verdicts.ts (earlier entry wins). */
export const globalEntries = [
  ...dangerousCoreEntries,
  ...dangerousIoEntries,
  ...dangerousLibraryEntries,
  ...safeEntries,
] as const satisfies readonly GlobalEntry[];
