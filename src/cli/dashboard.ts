import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built dashboard: `dist/web`, beside `dist/cli` where the CLI is compiled to. Undefined when
 * it has not been built (running from source with tsx).
 */
export function dashboardDir(): string | undefined {
  const dir = fileURLToPath(new URL('../web/', import.meta.url));
  return existsSync(join(dir, 'index.html')) ? dir : undefined;
}
