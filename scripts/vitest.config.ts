import { defineConfig } from 'vitest/config';

// Developer-only checks that need Python from Debian (python3-lz4): `npx vitest run -c scripts/vitest.config.ts`.
export default defineConfig({ test: { include: ['scripts/**/*.test.ts'], testTimeout: 120_000 } });
