import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layer table of ARCHITECTURE.md as a test: imports point downward only, engines reach other
 * engines through their index, contracts depend on zod alone, and library code never prints or exits.
 */
const src = resolve(import.meta.dirname, '../src');
const layerOf: Record<string, string> = {
  contracts: 'contracts',
  scan: 'engine',
  data: 'engine',
  integrity: 'engine',
  drift: 'engine',
  policy: 'engine',
  audit: 'engine',
  store: 'adapter',
  registry: 'service',
  gateway: 'service',
  monitor: 'service',
  assess: 'service',
  cli: 'face',
  server: 'face',
};
const mayImport: Record<string, string[]> = {
  contracts: ['contracts'],
  engine: ['contracts', 'engine', 'shared'],
  adapter: ['contracts', 'adapter', 'shared'],
  service: ['contracts', 'engine', 'adapter', 'service', 'shared'],
  face: ['contracts', 'engine', 'adapter', 'service', 'face', 'shared'],
  root: ['contracts', 'engine', 'adapter', 'service', 'shared'],
  shared: ['shared'],
};
const httpLibraries = ['fastify', 'undici', 'node:http', 'node:https', 'express'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'testdata' || name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return files(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

function area(path: string): { folder: string; layer: string } {
  const [top] = relative(src, path).split('/');
  if (!top || top.endsWith('.ts'))
    return { folder: top === 'index.ts' ? 'root' : 'shared', layer: top === 'index.ts' ? 'root' : 'shared' };
  return { folder: top, layer: layerOf[top] ?? 'unknown' };
}

const sources = files(src).map((path) => ({ path, text: readFileSync(path, 'utf8') }));

describe('architecture', () => {
  it('knows the layer of every folder under src', () => {
    expect(sources.map(({ path }) => area(path)).filter((a) => a.layer === 'unknown')).toEqual([]);
  });

  it.each(
    sources.map(({ path, text }) => [relative(src, path), path, text] as const),
  )('%s respects the layer table', (_name, path, text) => {
    const from = area(path);
    const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1] as string);
    const problems: string[] = [];
    for (const specifier of specifiers) {
      if (!specifier.startsWith('.')) {
        if (from.layer === 'contracts' && specifier !== 'zod') problems.push(`contracts imports ${specifier}`);
        if (from.layer === 'engine' && httpLibraries.includes(specifier)) problems.push(`engine imports ${specifier}`);
        continue;
      }
      const target = resolve(dirname(path), specifier.replace(/\.js$/, '.ts'));
      const to = area(target);
      if (!mayImport[from.layer]?.includes(to.layer)) problems.push(`${from.layer} imports ${to.layer} (${specifier})`);
      if (
        from.layer === 'engine' &&
        to.layer === 'engine' &&
        from.folder !== to.folder &&
        !target.endsWith(`${to.folder}/index.ts`)
      ) {
        problems.push(`engine ${from.folder} reaches into ${to.folder} internals (${specifier})`);
      }
      // Faces talk to each other over HTTP, with one exception: `mlsecops serve` starts the server,
      // through its index only.
      const startsServer = from.folder === 'cli' && to.folder === 'server' && target.endsWith('server/index.ts');
      if (from.layer === 'face' && to.layer === 'face' && from.folder !== to.folder && !startsServer)
        problems.push(`face ${from.folder} imports face ${to.folder}`);
    }
    if (from.layer !== 'face') {
      if (/\bconsole\.(log|error|warn|info|debug)\(/.test(text)) problems.push('library code uses console');
      if (/\bprocess\.exit\(/.test(text)) problems.push('library code calls process.exit');
    }
    expect(problems).toEqual([]);
  });
});
