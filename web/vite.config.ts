import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The dashboard's build: plain esbuild JSX (no Babel, no plugins) into dist/web, which the server
 * serves at `/` and `npm pack` ships with the rest of dist. Relative asset URLs, so the dashboard
 * also works behind a reverse proxy that mounts the server under a path.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 700,
    rollupOptions: {
      // React Router marks its modules "use client" for server components; meaningless in this bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  // `npx vite --config web/vite.config.ts` against a local `mlsecops serve` on the default port.
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
