import { globalEntries } from './globals-data.js';
import type { GlobalEntry } from './globals-types.js';
import { mapPy2Global } from './py2-compat.js';

export interface GlobalRef {
  readonly module: string;
  readonly name: string;
}

export type Classification =
  | { readonly verdict: 'safe'; readonly entry: GlobalEntry; readonly origin: 'builtin' | 'user' }
  | { readonly verdict: 'dangerous'; readonly entry: GlobalEntry; readonly matched: GlobalRef }
  | { readonly verdict: 'unknown' };

/**
 * Attribute names that turn any reachable object into a path to arbitrary code, so a global whose module or
 * dotted name contains one is dangerous whatever it starts from. Left out on purpose: `__init__`, `__new__`,
 * `__setstate__` (ordinary reconstruction), `__init_subclass__` (a no-op hook unless a class already runs
 * code), `__wrapped__` (only reaches the function a wrapper already exposes).
 */
const ESCAPE_ATTRIBUTES: ReadonlyMap<string, string> = new Map([
  ['__globals__', "a function's module namespace, including its imports and __builtins__"],
  ['__builtins__', 'the builtins namespace (eval, exec, __import__) of any module or function'],
  ['__subclasses__', 'every loaded subclass of a class, the classic sandbox escape to os and subprocess'],
  ['__code__', "a function's code object, which can be swapped or rebuilt"],
  ['__class__', "an object's class, the first step of subclass and MRO walks"],
  ['__bases__', "a class's bases, a step towards object and its subclasses"],
  ['__base__', "a class's base, a step towards object and its subclasses"],
  ['__mro__', "a class's MRO, a step towards object and its subclasses"],
  ['__getattribute__', 'a bound getattr on the object: any attribute by a string from the pickle'],
  ['__getattr__', 'a module or object fallback lookup, which in lazy packages imports submodules by name'],
  ['__setattr__', 'a bound setattr: monkeypatches the object'],
  ['__delattr__', 'a bound delattr: removes attributes from the object'],
  ['__dict__', "a live namespace whose get/update read or rewrite any of the object's attributes"],
  ['__import__', 'the import function: any module by name'],
  ['__loader__', "a module's loader, whose load_module/exec_module run code"],
  ['__spec__', "a module's spec, which leads to its loader"],
  ['__self__', 'the object a method is bound to, often a module (builtins) or a live instance'],
  ['__func__', 'the function behind a method, with its globals'],
  ['__closure__', "a function's closure cells and the objects captured in them"],
  ['__reduce__', "an object's reducer, which returns callables the pickle can then call"],
  ['__reduce_ex__', "an object's reducer, which returns callables the pickle can then call"],
  ['__get__', 'descriptor binding: turns a function into a method bound to any object'],
  ['__traceback__', "an exception's traceback and through it live frames"],
  ['tb_frame', 'a live frame with its globals and locals'],
  ['f_globals', "a frame's module namespace"],
  ['f_locals', "a frame's local variables"],
  ['f_builtins', "a frame's builtins namespace"],
  ['f_back', 'the calling frame, one step up the live stack'],
  ['gi_frame', "a generator's live frame"],
  ['cr_frame', "a coroutine's live frame"],
  ['ag_frame', "an async generator's live frame"],
  ['func_globals', 'Python 2 spelling of __globals__'],
  ['func_code', 'Python 2 spelling of __code__'],
  ['im_func', 'Python 2 spelling of __func__'],
  ['im_self', 'Python 2 spelling of __self__'],
  ['im_class', "Python 2 bound method's class"],
]);

/** Dotted paths longer than this are not split further: no real global is this deep, so we flag it instead. */
const MAX_PARTS = 32;
/** Memo bound: a hostile file can name millions of distinct globals; forget rather than grow without limit. */
const MAX_MEMO = 50_000;

const SEVERITY_RANK = { medium: 1, high: 2, critical: 3 } as const;
const rankOf = (entry: GlobalEntry): number => SEVERITY_RANK[entry.severity ?? 'critical'];

interface DangerHit {
  readonly entry: GlobalEntry;
  readonly matched: GlobalRef;
  /** 2 exact name, 1 first dotted part, 0 a `*` wildcard (see dangerousNameScore). */
  readonly score: number;
}

type ModuleIndex = ReadonlyMap<string, readonly GlobalEntry[]>;

function indexByModule(entries: readonly GlobalEntry[]): ModuleIndex {
  const index = new Map<string, GlobalEntry[]>();
  for (const entry of entries) {
    const list = index.get(entry.module);
    if (list) list.push(entry);
    else index.set(entry.module, [entry]);
  }
  return index;
}

/** Entries whose module is `module` itself, or an ancestor declared with `submodules`. */
function* entriesCovering(index: ModuleIndex, module: string): Generator<GlobalEntry> {
  let prefix = module;
  let exact = true;
  for (;;) {
    for (const entry of index.get(prefix) ?? []) if (exact || entry.submodules) yield entry;
    const dot = prefix.lastIndexOf('.');
    if (dot < 0) return;
    prefix = prefix.slice(0, dot);
    exact = false;
  }
}

/** How specific a dangerous match is: exact name 2, first dotted part 1, `*` 0; -1 for no match. */
function dangerousNameScore(entry: GlobalEntry, name: string, firstPart: string): number {
  if (entry.names.includes(name)) return 2;
  if (firstPart !== name && entry.names.includes(firstPart)) return 1;
  return entry.names.includes('*') ? 0 : -1;
}

function safeNameMatches(entry: GlobalEntry, name: string): boolean {
  // `*` stands for plain attributes only: `Linear.__init__` under a safe package must be judged on its own.
  return entry.names.includes(name) || (entry.names.includes('*') && !name.includes('.'));
}

/** Best dangerous match so far: highest severity, then most specific name, then first found. */
class DangerTracker {
  best: { entry: GlobalEntry; matched: GlobalRef; rank: number; score: number } | undefined;

  offer(entry: GlobalEntry, score: number, module: string, name: string): void {
    if (score < 0) return;
    const rank = rankOf(entry);
    const best = this.best;
    if (!best || rank > best.rank || (rank === best.rank && score > best.score)) {
      this.best = { entry, matched: { module, name }, rank, score };
    }
  }
}

/**
 * Walks every (module, name) the unpickler could end up resolving along a dotted path `path`, starting the
 * module at `path[start]`: each module prefix `path[start..e]` is looked up once, and its entries are tried
 * against every split the walk allows (split `s` means module `path[start..s-1]`, name `path[s..]`, for `s` in
 * [minSplit, path.length - 1]; submodule entries cover every later split too). `moduleObject` also tries the
 * whole remaining path as a module object, which only a module-wide (`*`) entry covers.
 */
function walkPath(
  index: ModuleIndex,
  path: readonly string[],
  suffixes: readonly string[],
  start: number,
  minSplit: number,
  moduleObject: boolean,
  tracker: DangerTracker,
): void {
  const last = path.length - 1;
  let module = '';
  for (let end = start; end <= last; end++) {
    module = end === start ? path[start]! : `${module}.${path[end]}`;
    const entries = index.get(module);
    if (!entries) continue;
    for (const entry of entries) {
      const firstSplit = end + 1;
      const lastSplit = entry.submodules ? last : Math.min(firstSplit, last);
      for (let split = Math.max(firstSplit, minSplit); split <= lastSplit; split++) {
        const moduleName = path.slice(start, split).join('.');
        tracker.offer(entry, dangerousNameScore(entry, suffixes[split]!, path[split]!), moduleName, suffixes[split]!);
      }
      if (moduleObject && (end === last || entry.submodules) && entry.names.includes('*')) {
        tracker.offer(entry, 0, path.slice(start).join('.'), '*');
      }
    }
  }
}

/**
 * Dangerous candidates for `ref` (see createGlobalClassifier): the ref as written; the splits Python's dotted-
 * name walk can take (`m` + `a.b.c` reaches `m.a` + `b.c` and `m.a.b` + `c`); every suffix re-rooted as a module,
 * because a module attribute can itself be a module (`torch.nn.modules.linear` + `torch.load`); and the whole
 * dotted path as a module object (`torch` + `jit`). A bare name is not re-rooted on its own (`mypkg` + `test`):
 * modules cannot be pickled, and user functions called `test` or `trace` would otherwise be flagged.
 */
function findDangerousFor(index: ModuleIndex, ref: GlobalRef, tracker: DangerTracker): boolean {
  const nameParts = ref.name.split('.');
  if (nameParts.length > MAX_PARTS) return false;
  const moduleParts = ref.module.split('.');
  const path = [...moduleParts, ...nameParts];
  const suffixes = path.map((_, i) => path.slice(i).join('.'));
  // Module prefixes shorter than ref.module only matter through their `submodules` entries, which walkPath
  // handles by starting at 0 and allowing splits from the end of ref.module onwards.
  walkPath(index, path, suffixes, 0, moduleParts.length, nameParts.length > 0, tracker);
  if (nameParts.length > 1) {
    const nameSuffixes = suffixes.slice(moduleParts.length);
    for (let start = 0; start < nameParts.length; start++) {
      walkPath(index, nameParts, nameSuffixes, start, start + 1, true, tracker);
    }
  }
  return true;
}

/** An entry made up for a verdict the data cannot express as a module and name. */
function syntheticEntry(ref: GlobalRef, severity: 'high' | 'critical', reason: string): GlobalEntry {
  return { module: ref.module, names: [ref.name], verdict: 'dangerous', severity, category: 'indirection', reason };
}

function findEscape(ref: GlobalRef): DangerHit | undefined {
  for (const part of [...ref.module.split('.'), ...ref.name.split('.')]) {
    const why = ESCAPE_ATTRIBUTES.get(part);
    if (why !== undefined)
      return { entry: syntheticEntry(ref, 'critical', `reaches ${part}: ${why}`), matched: ref, score: 2 };
  }
  return undefined;
}

function findDangerous(index: ModuleIndex, refs: readonly GlobalRef[]): DangerHit | undefined {
  const tracker = new DangerTracker();
  for (const ref of refs) {
    if (!findDangerousFor(index, ref, tracker))
      return {
        entry: syntheticEntry(
          ref,
          'high',
          `attribute path deeper than ${MAX_PARTS} parts: no real global looks like this`,
        ),
        matched: ref,
        score: 2,
      };
  }
  return tracker.best && { entry: tracker.best.entry, matched: tracker.best.matched, score: tracker.best.score };
}

function findExactSafe(index: ModuleIndex, ref: GlobalRef): GlobalEntry | undefined {
  return index.get(ref.module)?.find((entry) => entry.names.includes(ref.name));
}

function findSafe(index: ModuleIndex, refs: readonly GlobalRef[]): GlobalEntry | undefined {
  for (const ref of refs) {
    for (const entry of entriesCovering(index, ref.module)) if (safeNameMatches(entry, ref.name)) return entry;
  }
  return undefined;
}

/**
 * Returns a memoized classifier (called once per distinct global; must be fast).
 *
 * - A built-in safe entry that names the global exactly overrides a dangerous match that came only from a
 *   module-wide `*` entry: the data can carve known-safe classes out of dangerous modules.
 * - Dangerous if any candidate (see findDangerousFor; for the ref and its Python 2→3 rename) matches a dangerous
 *   entry, or if the module or name contains an escape attribute (ESCAPE_ATTRIBUTES). The more severe of the two
 *   wins, the data entry on ties.
 * - Otherwise safe if the ref as written, or its 2→3 rename, matches a user allowlist entry (origin 'user'),
 *   else a built-in safe entry (origin 'builtin'). No dotted-name reach-through on this side: safe means the
 *   global is exactly a listed thing.
 * - Otherwise unknown.
 *
 * User entries are forced to 'safe' and are consulted only after the dangerous check: a model that calls a
 * dangerous global needs a human decision, not an allowlist line.
 */
export function createGlobalClassifier(userAllow: readonly GlobalEntry[] = []): (ref: GlobalRef) => Classification {
  const dangerous = indexByModule(globalEntries.filter((entry) => entry.verdict === 'dangerous'));
  const builtinSafe = indexByModule(globalEntries.filter((entry) => entry.verdict === 'safe'));
  const userSafe = indexByModule(userAllow.map((entry) => ({ ...entry, verdict: 'safe' as const })));
  const memo = new Map<string, Classification>();

  const classify = (ref: GlobalRef): Classification => {
    const mapped = mapPy2Global(ref.module, ref.name);
    const refs: GlobalRef[] = mapped ? [ref, mapped] : [ref];

    const byData = findDangerous(dangerous, refs);
    const byEscape = findEscape(ref);
    // Escapes are critical, so they only lose to a data entry that is critical too (its reason is more specific).
    const hit = byData && byEscape && rankOf(byEscape.entry) > rankOf(byData.entry) ? byEscape : (byData ?? byEscape);
    if (hit && hit.score === 0 && hit !== byEscape) {
      // A built-in safe entry naming this exact global carves it out of a module-wide dangerous entry
      // (uuid.UUID out of uuid, torch.jit._pickle.build_intlist out of torch.jit). Exact dangerous names,
      // escapes and user allowlists never get this power.
      const exception = findExactSafe(builtinSafe, ref);
      if (exception) return { verdict: 'safe', entry: exception, origin: 'builtin' };
    }
    if (hit) return { verdict: 'dangerous', entry: hit.entry, matched: hit.matched };

    const user = findSafe(userSafe, refs);
    if (user) return { verdict: 'safe', entry: user, origin: 'user' };
    const builtin = findSafe(builtinSafe, refs);
    if (builtin) return { verdict: 'safe', entry: builtin, origin: 'builtin' };
    return { verdict: 'unknown' };
  };

  return (ref) => {
    const key = `${ref.module}\0${ref.name}`;
    const hit = memo.get(key);
    if (hit) return hit;
    if (memo.size >= MAX_MEMO) memo.clear();
    const result = classify(ref);
    memo.set(key, result);
    return result;
  };
}
