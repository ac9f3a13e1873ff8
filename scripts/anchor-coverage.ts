/**
 * Checks the pickle verdict data against the globals lists published by modelscan, picklescan, fickling and
 * ModelAudit (reference JSON, never copied into the project). Every anchor-dangerous global must classify
 * dangerous; anchor-safe globals that we call dangerous are printed for review. Exits 1 on any dangerous miss.
 *
 *   npx tsx scripts/anchor-coverage.ts [path-to-scanner-anchor-lists.json]
 *
 * How each list is probed (the scanners match differently, so the probes follow their semantics):
 * - `module: '*'` (whole module): (module, PROBE) must be dangerous. picklescan also applies a parent's `*` to
 *   submodules, so its `*` entries are probed at (module.SUBMODULE, PROBE) too.
 * - `module: [names]` or `module: 'name'`: each (module, name).
 * - Plain module lists (fickling UNSAFE_IMPORTS, ModelAudit ALWAYS_DANGEROUS_MODULES, OS aliases): like `*`.
 *   Entries that are not modules (fickling lists `eval`) count as covered if (builtins, entry) is dangerous.
 * - Dotted function lists (ModelAudit ALWAYS_DANGEROUS_FUNCTIONS): split at the last dot; bare names are
 *   builtins names, or modules (`code`).
 * - fickling UNSAFE_MODULES are prefixes of the dotted path, so `torch.compile` is covered by (torch, compile)
 *   as well as by a module-wide entry.
 * - The builtins namespace (`builtins`, `__builtin__` in module lists) is not probed with a made-up name:
 *   fickling and ModelAudit pair it with an explicit allowlist of builtins, and Python's builtins are a fixed
 *   set whose dangerous members are probed by name through the other lists.
 * Skipped: TensorFlow/Keras operator and layer lists, fickling's call-text prefixes (they match decompiled
 * source, and their globals, runpy._run_code and execWrapper, are probed through the module lists).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGlobalClassifier, type GlobalRef } from '../src/scan/pickle/verdicts.js';

const PROBE = 'anchorProbe';
const SUBMODULE = 'anchorSubmodule';
const BUILTIN_MODULES = new Set(['builtins', '__builtin__']);

type Json = unknown;
type Probe = { readonly label: string; readonly refs: readonly GlobalRef[]; readonly anyOf?: boolean };
interface AnchorList {
  readonly scanner: string;
  readonly list: string;
  readonly dangerous: boolean;
  readonly probes: readonly Probe[];
}

const classify = createGlobalClassifier();
const isDangerous = (ref: GlobalRef): boolean => classify(ref).verdict === 'dangerous';

function record(value: Json, where: string): Record<string, Json> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: not an object`);
  return value as Record<string, Json>;
}

function strings(value: Json, where: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new Error(`${where}: not a list of strings`);
  }
  return value;
}

function wholeModule(module: string, withSubmodule: boolean): Probe {
  const refs = [{ module, name: PROBE }];
  if (withSubmodule) refs.push({ module: `${module}.${SUBMODULE}`, name: PROBE });
  return { label: `${module}.*`, refs };
}

/** `{module: '*' | 'name' | [names]}` as used by modelscan, picklescan and ModelAudit. */
function moduleMap(value: Json, where: string, submodulesToo: boolean): Probe[] {
  const probes: Probe[] = [];
  for (const [module, names] of Object.entries(record(value, where))) {
    if (names === '*') {
      probes.push(wholeModule(module, submodulesToo));
      continue;
    }
    const list = typeof names === 'string' ? [names] : strings(names, `${where}.${module}`);
    for (const name of list) probes.push({ label: `${module}.${name}`, refs: [{ module, name }] });
  }
  return probes;
}

/** A plain list of module names; builtins namespaces are left to the name lists (see header). */
function moduleList(modules: readonly string[]): Probe[] {
  return modules
    .filter((module) => !BUILTIN_MODULES.has(module))
    .map((module) => ({
      label: `${module}.*`,
      refs: [
        { module, name: PROBE },
        { module: 'builtins', name: module },
      ],
      anyOf: true,
    }));
}

function dottedFunctions(items: readonly string[]): Probe[] {
  return items.map((item) => {
    const dot = item.lastIndexOf('.');
    if (dot < 0) {
      return {
        label: item,
        refs: [
          { module: 'builtins', name: item },
          { module: item, name: PROBE },
        ],
        anyOf: true,
      };
    }
    return { label: item, refs: [{ module: item.slice(0, dot), name: item.slice(dot + 1) }] };
  });
}

function builtinNames(names: readonly string[]): Probe[] {
  return names.map((name) => ({ label: `builtins.${name}`, refs: [{ module: 'builtins', name }] }));
}

function pathPrefixes(prefixes: readonly string[]): Probe[] {
  return prefixes.map((prefix) => {
    const dot = prefix.lastIndexOf('.');
    const asModule = wholeModule(prefix, true);
    const asAttribute = dot < 0 ? [] : [{ module: prefix.slice(0, dot), name: prefix.slice(dot + 1) }];
    return { label: `${prefix}*`, refs: [...asModule.refs, ...asAttribute], anyOf: true };
  });
}

function findKey(data: Record<string, Json>, scanner: string, file: string): Record<string, Json> {
  const key = Object.keys(data).find((candidate) => candidate.startsWith(`${scanner}@`) && candidate.endsWith(file));
  if (!key) throw new Error(`no ${scanner} ${file} section in the anchor file`);
  return record(data[key], key);
}

function anchorLists(data: Record<string, Json>): AnchorList[] {
  const modelscan = findKey(data, 'modelscan', 'settings.py');
  const picklescan = findKey(data, 'picklescan', 'scanner.py');
  const fickle = findKey(data, 'fickling', 'fickle.py');
  const analysis = findKey(data, 'fickling', 'analysis.py');
  const ml = findKey(data, 'fickling', 'ml.py');
  const maPickle = findKey(data, 'modelaudit', 'pickle_scanner.py');
  const maSymbols = findKey(data, 'modelaudit', 'suspicious_symbols.py');

  const severities = record(modelscan.unsafe_globals, 'modelscan.unsafe_globals');
  const lists: AnchorList[] = Object.entries(severities).map(([severity, map]) => ({
    scanner: 'modelscan',
    list: `unsafe_globals.${severity}`,
    dangerous: true,
    probes: moduleMap(map, `modelscan.${severity}`, false),
  }));
  const fickleImports = strings(fickle.UNSAFE_IMPORTS, 'fickling.UNSAFE_IMPORTS');
  lists.push(
    {
      scanner: 'picklescan',
      list: '_unsafe_globals',
      dangerous: true,
      probes: moduleMap(picklescan._unsafe_globals, 'picklescan', true),
    },
    { scanner: 'fickling', list: 'UNSAFE_IMPORTS', dangerous: true, probes: moduleList(fickleImports) },
    {
      scanner: 'fickling',
      list: 'UnsafeImportsML.UNSAFE_MODULES',
      dangerous: true,
      probes: pathPrefixes(Object.keys(record(analysis['UnsafeImportsML.UNSAFE_MODULES'], 'fickling.UNSAFE_MODULES'))),
    },
    {
      scanner: 'fickling',
      list: 'UnsafeImportsML.UNSAFE_IMPORTS',
      dangerous: true,
      probes: moduleMap(analysis['UnsafeImportsML.UNSAFE_IMPORTS'], 'fickling.ML_UNSAFE_IMPORTS', false),
    },
    {
      scanner: 'fickling',
      list: 'BadCalls.BAD_CALLS',
      dangerous: true,
      probes: builtinNames(strings(analysis['BadCalls.BAD_CALLS'], 'fickling.BAD_CALLS')),
    },
    {
      scanner: 'fickling',
      list: 'ScannerDeactivation.SCANNER_MODULES',
      dangerous: true,
      probes: moduleList(strings(analysis['ScannerDeactivation.SCANNER_MODULES'], 'fickling.SCANNER_MODULES')),
    },
    {
      scanner: 'modelaudit',
      list: 'ALWAYS_DANGEROUS_FUNCTIONS',
      dangerous: true,
      probes: dottedFunctions(strings(maPickle.ALWAYS_DANGEROUS_FUNCTIONS, 'modelaudit.FUNCTIONS')),
    },
    {
      scanner: 'modelaudit',
      list: 'ALWAYS_DANGEROUS_MODULES',
      dangerous: true,
      probes: moduleList(strings(maPickle.ALWAYS_DANGEROUS_MODULES, 'modelaudit.MODULES')),
    },
    {
      scanner: 'modelaudit',
      list: 'OS_MODULE_ALIASES',
      dangerous: true,
      probes: moduleList(Object.keys(record(maSymbols.OS_MODULE_ALIASES, 'modelaudit.OS_MODULE_ALIASES'))),
    },
    {
      scanner: 'modelaudit',
      list: 'SUSPICIOUS_GLOBALS',
      dangerous: true,
      probes: moduleMap(maSymbols.SUSPICIOUS_GLOBALS, 'modelaudit.SUSPICIOUS_GLOBALS', false),
    },
    {
      scanner: 'modelaudit',
      list: 'ADVANCED_PICKLE_PATTERNS',
      dangerous: true,
      probes: moduleMap(maSymbols.ADVANCED_PICKLE_PATTERNS, 'modelaudit.ADVANCED_PICKLE_PATTERNS', false),
    },
    {
      scanner: 'modelaudit',
      list: 'DANGEROUS_BUILTINS',
      dangerous: true,
      probes: builtinNames(strings(maSymbols.DANGEROUS_BUILTINS, 'modelaudit.DANGEROUS_BUILTINS')),
    },
    // Safe lists: only disagreements (anchor-safe, ours dangerous) are reported.
    {
      scanner: 'picklescan',
      list: '_safe_globals',
      dangerous: false,
      probes: moduleMap(picklescan._safe_globals, 'picklescan.safe', false),
    },
    {
      scanner: 'fickling',
      list: 'ML_ALLOWLIST',
      dangerous: false,
      probes: moduleMap(ml.ML_ALLOWLIST, 'fickling.ML_ALLOWLIST', false),
    },
    {
      scanner: 'fickling',
      list: 'SAFE_BUILTINS',
      dangerous: false,
      probes: builtinNames(strings(fickle.SAFE_BUILTINS, 'fickling.SAFE_BUILTINS')),
    },
    {
      scanner: 'fickling',
      list: 'PRIVATE_STDLIB_IMPORT_ALLOWLIST',
      dangerous: false,
      probes: (fickle.PRIVATE_STDLIB_IMPORT_ALLOWLIST as Json[]).map((pair, index) => {
        const [module, name] = strings(pair, `fickling.PRIVATE_STDLIB_IMPORT_ALLOWLIST[${index}]`);
        return { label: `${module}.${name}`, refs: [{ module: module ?? '', name: name ?? '' }] };
      }),
    },
    {
      scanner: 'modelaudit',
      list: 'ML_SAFE_GLOBALS',
      dangerous: false,
      probes: moduleMap(maPickle.ML_SAFE_GLOBALS, 'modelaudit.safe', false),
    },
  );
  return lists;
}

function covered(probe: Probe): boolean {
  return probe.anyOf ? probe.refs.some(isDangerous) : probe.refs.every(isDangerous);
}

function reasonFor(probe: Probe): string {
  for (const ref of probe.refs) {
    const result = classify(ref);
    if (result.verdict === 'dangerous') {
      return `${result.entry.severity ?? 'critical'}: ${result.entry.reason}`;
    }
  }
  return '';
}

function main(): void {
  const defaultPath = fileURLToPath(new URL('../../shared/reference/scanner-anchor-lists.json', import.meta.url));
  const path = process.argv[2] ?? defaultPath;
  const lists = anchorLists(record(JSON.parse(readFileSync(path, 'utf8')) as Json, path));

  const rows: string[][] = [['scanner', 'list', 'kind', 'entries', 'dangerous', 'misses', 'unknown']];
  const misses: string[] = [];
  const disagreements = new Map<string, string>();
  for (const { scanner, list, dangerous, probes } of lists) {
    const hits = probes.filter(covered);
    rows.push([
      scanner,
      list,
      dangerous ? 'dangerous' : 'safe',
      String(probes.length),
      String(hits.length),
      dangerous ? String(probes.length - hits.length) : '-',
      // For safe lists: how many we would report as unreviewed (medium) rather than quiet.
      dangerous
        ? '-'
        : String(probes.filter((probe) => probe.refs.some((ref) => classify(ref).verdict === 'unknown')).length),
    ]);
    if (dangerous) {
      for (const probe of probes) if (!covered(probe)) misses.push(`${scanner} ${list}: ${probe.label}`);
    } else {
      for (const probe of hits) disagreements.set(probe.label, `${reasonFor(probe)} [${scanner} ${list}]`);
    }
  }

  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  '));

  console.log(`\nDangerous misses: ${misses.length}`);
  for (const miss of misses) console.log(`  ${miss}`);
  console.log(`\nAnchor-safe globals we classify dangerous (review): ${disagreements.size}`);
  for (const [label, why] of [...disagreements].sort(([a], [b]) => a.localeCompare(b)))
    console.log(`  ${label} — ${why}`);
  if (misses.length > 0) process.exitCode = 1;
}

main();
