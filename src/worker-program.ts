import { createRequire } from 'node:module';

/**
 * The program of a worker thread (run with `eval: true`) that imports a module beside `from` (an
 * `import.meta.url`) and calls one of its exports. Built, that is the `.js` file; run from TypeScript
 * sources (vitest, tsx), the worker registers tsx first so that it can load the `.ts`.
 */
export function workerProgram(from: string, module: string, serve: string): string {
  const fromSources = from.endsWith('.ts');
  const url = JSON.stringify(new URL(`${module}${fromSources ? '.ts' : '.js'}`, from).href);
  const program = `import(${url}).then((module) => module.${serve}());`;
  if (!fromSources) return program;
  const tsx = JSON.stringify(createRequire(from).resolve('tsx/esm/api'));
  return `require(${tsx}).register();\n${program}`;
}
