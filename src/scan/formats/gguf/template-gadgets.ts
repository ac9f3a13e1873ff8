/**
 * What server-side template injection through Jinja2 needs, as data. Chat templates format messages;
 * none of the popular families touches any of this (see testdata/templates). Each entry says why it
 * matters.
 */
interface Gadget {
  readonly name: string;
  readonly reason: string;
}

/** Dunder attributes that lead from any object to functions, modules and builtins: critical. */
export const gadgetDunders: readonly Gadget[] = [
  { name: '__class__', reason: 'from any value to its type, the first step of every object walk' },
  { name: '__base__', reason: 'from a type to its base, usually object' },
  { name: '__bases__', reason: 'from a type to its bases' },
  { name: '__mro__', reason: 'from a type to object through the method resolution order' },
  { name: '__subclasses__', reason: 'from object to every loaded class, e.g. subprocess.Popen' },
  { name: '__init__', reason: 'from an object to its constructor function, whose __globals__ hold modules' },
  { name: '__globals__', reason: "a function's module namespace: os, sys, __builtins__" },
  { name: '__builtins__', reason: '__import__, eval, exec and open' },
  { name: '__import__', reason: 'imports any module, e.g. os' },
  { name: '__getattribute__', reason: 'reads any attribute by a computed name' },
  { name: '__getattr__', reason: 'reads attributes by a computed name' },
  { name: '__dict__', reason: 'an object namespace, bypassing attribute filters' },
  { name: '__code__', reason: 'function bytecode' },
  { name: '__func__', reason: 'from a bound method to its function and __globals__' },
  { name: '__self__', reason: 'from a builtin method to its module (builtins)' },
  { name: '__module__', reason: 'names the module holding a class' },
  { name: '__reduce__', reason: 'pickle protocol: returns a callable and arguments' },
  { name: '__reduce_ex__', reason: 'pickle protocol: returns a callable and arguments' },
  { name: '__loader__', reason: 'module loaders can load code' },
  { name: '__spec__', reason: 'module specs lead to loaders' },
  { name: '__getitem__', reason: 'item access by a computed key, used to dodge filters' },
  { name: '__call__', reason: 'calls an object indirectly' },
  { name: '__closure__', reason: 'closure cells of a function' },
  { name: '__kwdefaults__', reason: 'default arguments of a function' },
  { name: '__defaults__', reason: 'default arguments of a function' },
];

/** Names of process, import and reflection functions; in a chat template they are high on their own. */
export const sinkNames: readonly Gadget[] = [
  { name: 'os', reason: 'module with system, popen and exec*' },
  { name: 'subprocess', reason: 'runs commands' },
  { name: 'popen', reason: 'os.popen runs a shell command' },
  { name: 'Popen', reason: 'subprocess.Popen runs a command' },
  { name: 'check_output', reason: 'subprocess.check_output runs a command' },
  { name: 'getoutput', reason: 'subprocess.getoutput runs a shell command' },
  { name: 'spawnv', reason: 'os.spawnv runs a program' },
  { name: 'execv', reason: 'os.execv replaces the process' },
  { name: 'eval', reason: 'evaluates Python source' },
  { name: 'exec', reason: 'runs Python source' },
  { name: 'compile', reason: 'compiles Python source' },
  { name: 'import_module', reason: 'importlib.import_module imports any module' },
  { name: 'importlib', reason: 'imports modules' },
  { name: 'builtins', reason: 'module holding __import__, eval, exec, open' },
  { name: 'getattr', reason: 'reads attributes by computed name' },
  { name: 'setattr', reason: 'writes attributes' },
  { name: 'globals', reason: 'module namespace' },
  { name: 'sys', reason: 'sys.modules reaches every loaded module' },
  { name: 'modules', reason: 'sys.modules reaches every loaded module' },
  { name: 'func_globals', reason: 'Python 2 spelling of __globals__' },
  { name: 'f_globals', reason: 'frame globals' },
  { name: 'f_back', reason: 'walks the call stack' },
  { name: 'gi_frame', reason: 'generator frame, leads to f_globals' },
  { name: 'tb_frame', reason: 'traceback frame, leads to f_globals' },
  { name: 'load_module', reason: 'loads a module from a loader' },
  { name: 'mro', reason: 'type.mro() reaches object' },
];

/** Jinja2 globals and flask objects that are the usual starting points of an object walk. */
export const gadgetRoots: readonly Gadget[] = [
  { name: 'self', reason: 'TemplateReference; self._TemplateReference__context reaches the render context' },
  { name: 'cycler', reason: 'jinja2.utils.Cycler: cycler.__init__.__globals__ holds os in Jinja2' },
  { name: 'joiner', reason: 'jinja2.utils.Joiner: joiner.__init__.__globals__' },
  { name: 'lipsum', reason: 'jinja2.utils.generate_lorem_ipsum: lipsum.__globals__ holds os' },
  { name: 'namespace', reason: 'jinja2.utils.Namespace class: namespace.__init__.__globals__' },
  { name: 'range', reason: 'builtin range: range.__self__ is the builtins module' },
  { name: 'dict', reason: 'builtin dict type: dict.__base__ is object' },
  { name: 'config', reason: 'flask config: config.__class__.from_envvar.__globals__' },
  { name: 'request', reason: 'flask request: request.application.__globals__' },
  { name: 'url_for', reason: 'flask url_for.__globals__' },
  { name: 'get_flashed_messages', reason: 'flask get_flashed_messages.__globals__' },
  { name: 'raise_exception', reason: 'loader-supplied function: raise_exception.__globals__' },
  { name: 'strftime_now', reason: 'loader-supplied function: strftime_now.__globals__' },
];

/** Private attributes that are known gadgets: critical. */
export const gadgetPrivates: readonly Gadget[] = [
  { name: '_TemplateReference__context', reason: 'the live render context, with every global' },
  { name: '_Undefined__obj', reason: 'the object an Undefined wraps' },
];

/** Statements that load other templates (from disk with a FileSystemLoader) or dump the context. */
export const loaderStatements: readonly Gadget[] = [
  { name: 'import', reason: 'loads another template' },
  { name: 'from', reason: 'loads another template' },
  { name: 'include', reason: 'renders another template' },
  { name: 'extends', reason: 'renders another template' },
  { name: 'debug', reason: 'jinja2.ext.debug dumps the context' },
];

export const byName = (list: readonly Gadget[]): ReadonlyMap<string, string> =>
  new Map(list.map((gadget) => [gadget.name, gadget.reason]));
