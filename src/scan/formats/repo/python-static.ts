import type { GlobalRef } from '../../pickle/verdicts.js';

/**
 * A static listing of a Python file: what it imports and which imported names it calls, resolved to
 * (module, name) so the pickle-globals verdict data can judge them. No parsing beyond lines and regular
 * expressions: the goal is a reviewer's inventory, not a proof.
 */
export interface PythonListing {
  readonly imports: string[];
  readonly calls: Array<GlobalRef & { readonly line: number }>;
}

const maxCalls = 2000;
const builtinCallables = new Set(['eval', 'exec', 'compile', '__import__', 'open', 'getattr', 'breakpoint', 'input']);

export function listPython(text: string): PythonListing {
  const lines = stripComments(text);
  const imports = new Set<string>();
  const aliases = new Map<string, GlobalRef | { readonly module: string; readonly name?: undefined }>();
  lines.forEach((line) => {
    const plain = /^\s*import\s+(.+)$/.exec(line);
    if (plain) {
      for (const part of (plain[1] as string).split(',')) {
        const [module, alias] = part.trim().split(/\s+as\s+/) as [string, string | undefined];
        if (!/^[\w.]+$/.test(module)) continue;
        imports.add(module);
        // `import a.b` binds `a`; `import a.b as c` binds c to a.b.
        aliases.set(alias ?? (module.split('.')[0] as string), {
          module: alias ? module : (module.split('.')[0] as string),
        });
      }
      return;
    }
    const from = /^\s*from\s+(\.*[\w.]*)\s+import\s+\(?([^)]*)\)?/.exec(line);
    if (from) {
      const module = from[1] as string;
      imports.add(module);
      for (const part of (from[2] as string).split(',')) {
        const [name, alias] = part.trim().split(/\s+as\s+/) as [string, string | undefined];
        if (/^\w+$/.test(name)) aliases.set(alias ?? name, { module, name });
      }
    }
  });
  const calls: PythonListing['calls'] = [];
  lines.forEach((line, index) => {
    for (const match of line.matchAll(/(?<![\w.])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*\(/g)) {
      if (calls.length >= maxCalls) return;
      const [head, ...rest] = (match[1] as string).split('.') as [string, ...string[]];
      const bound = aliases.get(head);
      let ref: GlobalRef | undefined;
      if (bound?.name !== undefined) ref = { module: bound.module, name: [bound.name, ...rest].join('.') };
      else if (bound && rest.length > 0) ref = { module: bound.module, name: rest.join('.') };
      else if (!bound && rest.length === 0 && builtinCallables.has(head)) ref = { module: 'builtins', name: head };
      if (ref) calls.push({ ...ref, line: index + 1 });
    }
  });
  return { imports: [...imports], calls };
}

/**
 * Blanks comments and the contents of string literals (single, double, triple-quoted), keeping line
 * breaks so line numbers hold: call-like text inside strings and comments is not a call. Import lines
 * keep working because module names are never strings.
 */
function stripComments(text: string): string[] {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      out += close;
      i += close.length;
      while (i < text.length && !text.startsWith(close, i) && (triple || text[i] !== '\n')) {
        if (text[i] === '\\') {
          out += ' ';
          i++;
        }
        out += text[i] === '\n' ? '\n' : ' ';
        i++;
      }
      out += close;
      i += close.length;
      continue;
    }
    out += c;
    i++;
  }
  return out.split(/\r?\n/);
}
