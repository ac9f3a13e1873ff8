import { describe, expect, it } from 'vitest';
import { createGlobalClassifier } from './verdicts.js';

/**
 * Gadgets from published scanner-bypass advisories (picklescan, modelscan, fickling, ModelAudit), as
 * (advisory, module, name exactly as the malicious pickle writes it). Each must classify dangerous.
 */
const advisories: ReadonlyArray<readonly [string, string, string]> = [
  ['GHSA-4r9r-ch6f-vxmx', 'torch.utils.bottleneck.__main__', 'run_cprofile'],
  ['GHSA-4whj-rm5r-c2v8', 'torch.utils.bottleneck.__main__', 'run_autograd_prof'],
  ['GHSA-86cj-95qr-2p4f', 'torch._dynamo.guards', 'GuardBuilder.get'],
  ['GHSA-f4x7-rfwp-v3xw', 'torch.fx.experimental.symbolic_shapes', 'ShapeEnv.evaluate_guards_expression'],
  ['GHSA-f745-w6jp-hpxx', 'torch.utils.collect_env', 'run'],
  ['GHSA-jhph-76pp-mggw', 'torch.utils.collect_env', 'run_and_read_all'],
  ['GHSA-h3qp-7fh3-f8h4', 'torch.utils.data.datapipes.utils.decoder', 'basichandlers'],
  ['GHSA-vr7h-p6mm-wpmh', 'torch.jit.unsupported_tensor_ops', 'execWrapper'],
  ['GHSA-vv6j-3g6g-2pvj', 'torch.utils._config_module', 'ConfigModule.load_config'],
  ['GHSA-5qwp-399c-mjwf', 'trace', 'Trace.run'],
  ['GHSA-g344-hcph-8vgg', 'trace', 'Trace.runctx'],
  ['GHSA-x696-vm39-cp64', 'profile', 'Profile.run'],
  ['GHSA-6vqj-c2q5-j97w', 'profile', 'Profile.runctx'],
  ['GHSA-f54q-57x4-jg88', 'lib2to3.pgen2.grammar', 'Grammar.loads'],
  ['GHSA-p9w7-82w4-7q8m', 'lib2to3.pgen2.pgen', 'ParserGenerator.make_label'],
  ['GHSA-3vg9-h568-4w9m', 'idlelib.debugobj', 'ObjectTreeItem.SetText'],
  ['GHSA-6w4w-5w54-rjvr', 'idlelib.autocomplete', 'AutoComplete.get_entity'],
  ['GHSA-7cq8-mj8x-j263', 'idlelib.autocomplete', 'AutoComplete.fetch_completions'],
  ['GHSA-8r4j-24qv-fmq9', 'idlelib.calltip', 'Calltip.fetch_tip'],
  ['GHSA-9xph-j2h6-g47v', 'idlelib.calltip', 'get_entity'],
  ['GHSA-m869-42cg-3xwr', 'idlelib.run', 'Executive.runcode'],
  ['GHSA-j343-8v2j-ff7w', 'idlelib.pyshell', 'ModifiedInterpreter.runcommand'],
  ['GHSA-3gf5-cxq9-w223', 'idlelib.pyshell', 'ModifiedInterpreter.runcode'],
  ['GHSA-cj3c-v495-4xqh', 'code', 'InteractiveInterpreter.runcode'],
  ['GHSA-xp4f-hrf8-rxw7', 'ensurepip', '_run_pip'],
  ['GHSA-fqq6-7vqf-w3fg', 'doctest', 'debug_script'],
  ['GHSA-9w88-8rmg-7g2p', 'cProfile', 'runctx'],
  ['GHSA-49gj-c84q-6qm9', 'cProfile', 'run'],
  ['GHSA-q77w-mwjj-7mqx', 'asyncio.unix_events', '_UnixSubprocessTransport._start'],
  ['GHSA-m273-6v24-x4m4', 'distutils.file_util', 'write_file'],
  ['GHSA-4675-36f9-wf6r', 'ctypes', 'CDLL'],
  ['GHSA-84r2-jw7c-4r5q', 'pydoc', 'locate'],
  ['GHSA-84r2-jw7c-4r5q', 'operator', 'methodcaller'],
  ['GHSA-vqmv-47xg-9wpr', 'pty', 'spawn'],
  ['GHSA-r8g5-cgf2-4m4m', 'numpy.f2py.crackfortran', 'getlincoef'],
  ['GHSA-955r-x9j8-7rhh', '_operator', 'methodcaller'],
  ['GHSA-46h3-79wf-xr6c', '_operator', 'attrgetter'],
  ['GHSA-g38g-8gr9-h9xp', 'uuid', '_get_command_stdout'],
  ['GHSA-g38g-8gr9-h9xp', 'imaplib', 'IMAP4_stream'],
  ['GHSA-g38g-8gr9-h9xp', '_osx_support', '_read_output'],
  ['GHSA-g38g-8gr9-h9xp', '_aix_support', '_read_cmd_output'],
  ['GHSA-g38g-8gr9-h9xp', '_pyrepl.pager', 'pipe_pager'],
  ['CVE-2025-1716', 'pip', 'main'],
  ['CVE-2025-10157', 'asyncio.unix_events', '_UnixSelectorEventLoop'],
  ['picklescan test corpus', '_io', 'FileIO'],
  ['picklescan test corpus', 'urllib.request', 'urlopen'],
  ['picklescan test corpus', 'venv', 'create'],
  ['picklescan test corpus', 'sys', 'exit'],
  ['picklescan test corpus', 'numpy.testing._private.utils', 'runstring'],
  ['picklescan test corpus', 'timeit', 'timeit'],
  ['picklescan test corpus', 'torch.serialization', 'load'],
  ['picklescan test corpus', 'torch._inductor.codecache', 'compile_file'],
  ['picklescan test corpus', 'cloudpickle.cloudpickle', '_function_setstate'],
  ['picklescan test corpus', 'cloudpickle.cloudpickle', '_make_function'],
  ['picklescan test corpus', 'cloudpickle.cloudpickle', '_builtin_type'],
  ['picklescan test corpus', 'cloudpickle.cloudpickle', 'subimport'],
  ['picklescan test corpus', 'httplib', 'HTTPSConnection'],
  ['picklescan test corpus', 'aiohttp.client', 'ClientSession'],
  ['picklescan test corpus', 'requests.api', 'get'],
  ['picklescan test corpus', '__builtin__', 'apply'],
];

/** Advisories the data cites by their CVE alias. */
const aliases: Record<string, string> = { 'GHSA-g38g-8gr9-h9xp': 'CVE-2026-56315' };

describe('published scanner bypasses', () => {
  const classify = createGlobalClassifier();
  it.each(advisories)('%s: %s.%s is dangerous', (_advisory, module, name) => {
    expect(classify({ module, name }).verdict).toBe('dangerous');
  });

  it.each(
    advisories.filter(([advisory]) => /^(GHSA|CVE)-/.test(advisory)),
  )('%s is cited by the entry that catches %s.%s', (advisory, module, name) => {
    const verdict = classify({ module, name });
    const references = verdict.verdict === 'dangerous' ? (verdict.entry.references ?? []) : [];
    expect(references).toContain(aliases[advisory] ?? advisory);
  });
});
