import { describe, expect, it } from 'vitest';
import { globalEntries } from './globals-data.js';
import type { GlobalEntry } from './globals-types.js';
import { createGlobalClassifier } from './verdicts.js';

const classify = createGlobalClassifier();

/** [module, name] pairs; a dotted name is a reach-through the unpickler's attribute walk can take. */
const DANGEROUS: ReadonlyArray<readonly [string, string]> = [
  // process execution
  ['os', 'system'],
  ['os', 'popen'],
  ['os', 'execv'],
  ['posix', 'system'],
  ['nt', 'system'],
  ['subprocess', 'Popen'],
  ['subprocess', 'check_output'],
  ['subprocess', 'Popen.__init__'],
  ['commands', 'getoutput'],
  ['pty', 'spawn'],
  ['_posixsubprocess', 'fork_exec'],
  ['multiprocessing.util', 'spawnv_passfds'],
  ['multiprocessing.popen_fork', 'Popen'],
  ['multiprocessing.forking', 'Popen'],
  ['_thread', 'start_new_thread'],
  ['thread', 'start_new_thread'],
  ['threading', 'Thread'],
  ['asyncio', 'create_subprocess_shell'],
  ['asyncio.unix_events', '_UnixSubprocessTransport'],
  ['asyncio.subprocess', 'create_subprocess_exec'],
  ['uuid', '_get_command_stdout'],
  ['_osx_support', '_read_output'],
  ['_aix_support', '_read_cmd_output'],
  ['_pyrepl.pager', 'pipe_pager'],
  ['imaplib', 'IMAP4_stream'],
  ['pip', 'main'],
  ['pip._internal.cli.main', 'main'],
  ['ensurepip', '_run_pip'],
  ['venv', 'create'],
  ['webbrowser', 'open'],
  // code evaluation and import machinery
  ['builtins', 'eval'],
  ['builtins', 'exec'],
  ['builtins', 'compile'],
  ['builtins', 'getattr'],
  ['builtins', 'setattr'],
  ['builtins', 'delattr'],
  ['builtins', '__import__'],
  ['builtins', 'open'],
  ['builtins', 'input'],
  ['builtins', 'breakpoint'],
  ['builtins', 'globals'],
  ['builtins', 'locals'],
  ['builtins', 'vars'],
  ['__builtin__', 'eval'],
  ['__builtin__', 'execfile'],
  ['__builtin__', 'apply'],
  ['__builtin__', 'file'],
  ['__builtin__', 'reload'],
  ['__builtin__', 'reduce'],
  ['__builtin__', 'intern'],
  ['code', 'InteractiveInterpreter.runcode'],
  ['codeop', 'compile_command'],
  ['runpy', '_run_code'],
  ['marshal', 'loads'],
  ['types', 'CodeType'],
  ['types', 'FunctionType'],
  ['types', 'MethodType'],
  ['pydoc', 'pipepager'],
  ['pkgutil', 'resolve_name'],
  ['pkgutil', 'get_importer'],
  ['inspect', 'getattr_static'],
  ['importlib', 'import_module'],
  ['importlib.machinery', 'SourceFileLoader'],
  ['imp', 'load_source'],
  ['zipimport', 'zipimporter'],
  ['sys', 'modules'],
  // debuggers and profilers
  ['cProfile', 'run'],
  ['profile', 'runctx'],
  ['trace', 'Trace.runctx'],
  ['timeit', 'timeit'],
  ['bdb', 'Bdb.run'],
  ['pdb', 'run'],
  ['doctest', 'debug_script'],
  // native code
  ['ctypes', 'CDLL'],
  ['ctypes', 'pythonapi'],
  ['_ctypes', 'dlopen'],
  ['cffi', 'FFI'],
  // network
  ['socket', 'socket'],
  ['_socket', 'socket'],
  ['ssl', 'wrap_socket'],
  ['http.client', 'HTTPConnection'],
  ['httplib', 'HTTPConnection'],
  ['urllib.request', 'urlopen'],
  ['urllib2', 'urlopen'],
  ['urllib', 'urlretrieve'],
  ['urllib3', 'PoolManager'],
  ['requests', 'get'],
  ['requests.api', 'get'],
  ['aiohttp.client', 'ClientSession'],
  ['smtplib', 'SMTP'],
  ['ftplib', 'FTP'],
  ['poplib', 'POP3'],
  ['telnetlib', 'Telnet'],
  ['xmlrpc.client', 'ServerProxy'],
  ['socketserver', 'TCPServer'],
  // filesystem
  ['shutil', 'rmtree'],
  ['io', 'FileIO'],
  ['io', 'open'],
  ['_io', 'FileIO'],
  ['logging', 'FileHandler'],
  ['logging.handlers', 'RotatingFileHandler'],
  ['logging.config', 'dictConfig'],
  ['distutils.file_util', 'write_file'],
  ['setuptools', 'setup'],
  ['tempfile', 'mktemp'],
  ['codecs', 'open'],
  ['glob', 'glob'],
  ['fileinput', 'input'],
  ['sqlite3', 'connect'],
  ['zipfile', 'ZipFile'],
  ['tarfile', 'open'],
  ['pathlib', 'Path.write_text'],
  ['pathlib', 'PosixPath.unlink'],
  // nested deserialization
  ['pickle', 'loads'],
  ['_pickle', 'loads'],
  ['cPickle', 'loads'],
  ['shelve', 'open'],
  ['torch', 'load'],
  ['torch.serialization', 'load'],
  ['torch.serialization', '_load'],
  ['torch.storage', '_load_from_bytes'],
  ['joblib', 'load'],
  ['joblib.numpy_pickle', 'load'],
  ['dill', 'loads'],
  ['dill._dill', '_create_function'],
  ['dill._dill', '_create_code'],
  ['dill._dill', '_load_type'],
  ['cloudpickle.cloudpickle', '_make_function'],
  ['cloudpickle.cloudpickle', '_make_skel_func'],
  ['cloudpickle.cloudpickle', 'subimport'],
  ['cloudpickle.cloudpickle', '_builtin_type'],
  ['numpy', 'load'],
  ['numpy.lib.npyio', 'load'],
  ['pandas', 'read_pickle'],
  ['pandas.io.pickle', 'read_pickle'],
  // library gadgets
  ['numpy.testing._private.utils', 'runstring'],
  ['numpy.f2py.crackfortran', 'getlincoef'],
  ['numpy.distutils.exec_command', 'exec_command'],
  ['torch.jit.unsupported_tensor_ops', 'execWrapper'],
  ['torch._dynamo.guards', 'GuardBuilder.get'],
  ['torch._inductor.codecache', 'compile_file'],
  ['torch.fx.experimental.symbolic_shapes', 'ShapeEnv.evaluate_guards_expression'],
  ['torch.utils.collect_env', 'run'],
  ['torch.utils.bottleneck.__main__', 'run_cprofile'],
  ['torch.hub', 'load'],
  ['torch.utils._config_module', 'ConfigModule.load_config'],
  ['torch.package', 'PackageImporter'],
  ['torch.utils.cpp_extension', 'load_inline'],
  ['torch.distributed.rpc', 'rpc_sync'],
  ['pandas.core.computation.eval', 'eval'],
  ['sklearn.utils._testing', 'assert_run_python_script'],
  ['idlelib.pyshell', 'ModifiedInterpreter.runcode'],
  ['lib2to3.pgen2.pgen', 'ParserGenerator.make_label'],
  // indirection
  ['operator', 'attrgetter'],
  ['operator', 'methodcaller'],
  ['operator', 'itemgetter'],
  ['_operator', 'attrgetter'],
  ['functools', 'partial'],
  ['functools', 'reduce'],
  ['copyreg', 'add_extension'],
  // dotted reach-throughs
  ['torch.nn.modules.linear', 'torch.load'],
  ['numpy', 'testing._private.utils.runstring'],
  ['collections', 'os.system'],
  ['sklearn.pipeline', 'subprocess.Popen'],
  ['torch', 'jit'],
  ['pandas', 'io.pickle.read_pickle'],
  ['mypkg', 'helpers.subprocess'],
  ['os.path', 'join'],
  // escape attributes
  ['torch.nn.modules.linear', 'Linear.__init__.__globals__'],
  ['collections', 'OrderedDict.__class__.__subclasses__'],
  ['builtins', 'object.__subclasses__'],
  ['mypkg', 'helper.__code__'],
  ['mypkg', '__builtins__'],
  ['__builtins__', 'eval'],
  ['mypkg', 'Model.__dict__.get'],
  ['mypkg', 'fn.func_globals'],
];

const SAFE: ReadonlyArray<readonly [string, string]> = [
  ['torch._utils', '_rebuild_tensor_v2'],
  ['torch._utils', '_rebuild_parameter'],
  ['torch._tensor', '_rebuild_from_type_v2'],
  ['torch', 'FloatStorage'],
  ['torch', 'BFloat16Storage'],
  ['torch', 'Size'],
  ['torch', 'device'],
  ['torch', 'bfloat16'],
  ['torch.storage', 'UntypedStorage'],
  ['torch.nn.parameter', 'Parameter'],
  ['torch.nn.modules.linear', 'Linear'],
  ['torch.nn.modules.container', 'Sequential'],
  ['torch.optim.adamw', 'AdamW'],
  ['torch.optim.lr_scheduler', 'CosineAnnealingLR'],
  ['collections', 'OrderedDict'],
  ['collections', 'defaultdict'],
  ['numpy.core.multiarray', '_reconstruct'],
  ['numpy._core.multiarray', '_reconstruct'],
  ['numpy.core.multiarray', 'scalar'],
  ['numpy', 'dtype'],
  ['numpy', 'ndarray'],
  ['numpy', 'float64'],
  ['numpy.dtypes', 'Float64DType'],
  ['numpy.random._pickle', '__randomstate_ctor'],
  ['sklearn.pipeline', 'Pipeline'],
  ['sklearn.linear_model._logistic', 'LogisticRegression'],
  ['sklearn.tree._tree', 'Tree'],
  ['joblib.numpy_pickle', 'NumpyArrayWrapper'],
  ['scipy.sparse._csr', 'csr_matrix'],
  ['pandas.core.frame', 'DataFrame'],
  ['pandas._libs.tslibs.timestamps', '_unpickle_timestamp'],
  ['copyreg', '_reconstructor'],
  ['copy_reg', '_reconstructor'],
  ['copyreg', '__newobj__'],
  ['builtins', 'set'],
  ['__builtin__', 'set'],
  ['__builtin__', 'unicode'],
  ['builtins', 'bytearray'],
  ['_codecs', 'encode'],
  ['datetime', 'datetime'],
  ['decimal', 'Decimal'],
  ['pathlib', 'PosixPath'],
  ['argparse', 'Namespace'],
];

const UNKNOWN: ReadonlyArray<readonly [string, string]> = [
  ['torch.nn.modules.linear', 'Linear.__init__'],
  ['sklearn.pipeline', 'Pipeline.fit'],
  ['collections', 'OrderedDict.fromkeys'],
  ['mypkg.layers', 'CustomLayer'],
  ['builtins', 'type'],
  ['collections', 'namedtuple'],
  ['torch', 'some_function'],
  ['numpy', 'add'],
  ['pathlib', 'Path.exists'],
  ['mypkg', 'test'],
];

describe('createGlobalClassifier', () => {
  it('has at least 80 dangerous cases in this table', () => {
    expect(DANGEROUS.length).toBeGreaterThanOrEqual(80);
  });

  it.each(DANGEROUS)('%s.%s is dangerous', (module, name) => {
    const result = classify({ module, name });
    expect(result.verdict).toBe('dangerous');
    if (result.verdict === 'dangerous') expect(result.entry.reason.length).toBeGreaterThan(0);
  });

  it.each(SAFE)('%s.%s is safe', (module, name) => {
    expect(classify({ module, name })).toMatchObject({ verdict: 'safe', origin: 'builtin' });
  });

  it.each(UNKNOWN)('%s.%s is unknown', (module, name) => {
    expect(classify({ module, name })).toEqual({ verdict: 'unknown' });
  });

  it('reports the candidate that matched a reach-through', () => {
    const result = classify({ module: 'torch.nn.modules.linear', name: 'torch.load' });
    expect(result).toMatchObject({ verdict: 'dangerous', matched: { module: 'torch', name: 'load' } });
  });

  it('prefers the specific entry over a module wildcard', () => {
    const result = classify({ module: 'dill._dill', name: '_load_type' });
    expect(result.verdict === 'dangerous' && result.entry.names).toContain('_load_type');
  });

  it('keeps high-only indirection at high', () => {
    const result = classify({ module: 'functools', name: 'partial' });
    expect(result.verdict === 'dangerous' && result.entry.severity).toBe('high');
  });

  it('flags absurdly deep attribute paths', () => {
    const name = Array.from({ length: 40 }, (_, i) => `a${i}`).join('.');
    expect(classify({ module: 'mypkg', name }).verdict).toBe('dangerous');
  });

  it('memoizes: the same object comes back for the same global', () => {
    const fresh = createGlobalClassifier();
    expect(fresh({ module: 'os', name: 'system' })).toBe(fresh({ module: 'os', name: 'system' }));
  });
});

describe('user allowlist entries', () => {
  const user: GlobalEntry[] = [
    { module: 'mypkg.layers', names: ['CustomLayer'], verdict: 'safe', category: 'user-allowlist', reason: 'ours' },
    { module: 'mypkg', names: ['*'], submodules: true, verdict: 'safe', category: 'user-allowlist', reason: 'ours' },
    { module: 'os', names: ['system'], verdict: 'safe', category: 'user-allowlist', reason: 'should not work' },
    { module: 'builtins', names: ['type'], verdict: 'safe', category: 'user-allowlist', reason: 'NoneType' },
  ];
  const withUser = createGlobalClassifier(user);

  it('turns unknown into safe with origin user', () => {
    expect(withUser({ module: 'mypkg.layers', name: 'CustomLayer' })).toMatchObject({
      verdict: 'safe',
      origin: 'user',
    });
    expect(withUser({ module: 'mypkg.models.x', name: 'Net' })).toMatchObject({ verdict: 'safe', origin: 'user' });
    expect(withUser({ module: 'builtins', name: 'type' })).toMatchObject({ verdict: 'safe', origin: 'user' });
  });

  it('never turns dangerous into safe', () => {
    expect(withUser({ module: 'os', name: 'system' }).verdict).toBe('dangerous');
    expect(withUser({ module: 'mypkg', name: 'os.system' }).verdict).toBe('dangerous');
    expect(withUser({ module: 'mypkg', name: 'helper.__globals__' }).verdict).toBe('dangerous');
  });

  it('does not let a user wildcard match dotted names', () => {
    expect(withUser({ module: 'mypkg', name: 'Net.forward' }).verdict).toBe('unknown');
  });

  it('forces user entries to safe even if they claim otherwise', () => {
    const forced = createGlobalClassifier([
      { module: 'mypkg', names: ['X'], verdict: 'dangerous', category: 'user-allowlist', reason: 'typo' },
    ]);
    expect(forced({ module: 'mypkg', name: 'X' })).toMatchObject({ verdict: 'safe', origin: 'user' });
  });
});

describe('verdict data', () => {
  const entries: readonly GlobalEntry[] = globalEntries;

  it('gives every entry its own non-empty reason', () => {
    for (const entry of entries) expect(entry.reason.trim(), `${entry.module}:${entry.names}`).not.toBe('');
  });

  it('uses severity only on dangerous entries and names every entry', () => {
    for (const entry of entries) {
      expect(entry.names.length, entry.module).toBeGreaterThan(0);
      if (entry.verdict === 'safe') expect(entry.severity, entry.module).toBeUndefined();
    }
  });

  it('lists no module+name as both safe and dangerous', () => {
    const dangerousKeys = new Set<string>();
    for (const entry of entries) {
      if (entry.verdict === 'dangerous') for (const name of entry.names) dangerousKeys.add(`${entry.module}:${name}`);
    }
    for (const entry of entries) {
      if (entry.verdict !== 'safe') continue;
      for (const name of entry.names) expect(dangerousKeys.has(`${entry.module}:${name}`), name).toBe(false);
    }
  });

  it('classifies every explicitly listed safe name as safe (no dangerous wildcard shadows it)', () => {
    for (const entry of entries) {
      if (entry.verdict !== 'safe') continue;
      for (const name of entry.names) {
        if (name !== '*')
          expect(classify({ module: entry.module, name }).verdict, `${entry.module}:${name}`).toBe('safe');
      }
    }
  });

  it('classifies every explicitly listed dangerous name as dangerous', () => {
    for (const entry of entries) {
      if (entry.verdict !== 'dangerous') continue;
      for (const name of entry.names) {
        const probe = name === '*' ? 'anyName' : name;
        expect(classify({ module: entry.module, name: probe }).verdict, `${entry.module}:${name}`).toBe('dangerous');
      }
    }
  });
});
