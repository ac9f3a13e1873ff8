import { Command, CommanderError } from 'commander';
import { exitCodes } from '../contracts/index.js';
import { BundleError, ModelPathError } from '../integrity/index.js';
import { PathError } from '../scan/index.js';
import { toolVersion } from '../version.js';
import { registerAssess } from './commands/assess.js';
import { registerAttest, registerVerifyAttestation } from './commands/attest.js';
import { registerAudit } from './commands/audit.js';
import { registerBom } from './commands/bom.js';
import { registerData } from './commands/data-scan.js';
import { registerDemo } from './commands/demo.js';
import { registerDigest } from './commands/digest.js';
import { registerDrift } from './commands/drift.js';
import { registerGate } from './commands/gate.js';
import { registerGateway } from './commands/gateway.js';
import { registerMonitorClient } from './commands/monitor.js';
import { registerProfile } from './commands/profile.js';
import { registerRegistryClient } from './commands/registry-client.js';
import { registerReport } from './commands/report.js';
import { registerScan } from './commands/scan.js';
import { registerServe } from './commands/serve.js';
import type { Io } from './commands/shared.js';
import { registerKeygen, registerSign } from './commands/sign.js';
import { registerVerify } from './commands/verify.js';
import { CliError } from './errors.js';

export function buildProgram(io: Io): Command {
  const program = new Command('mlsecops')
    .description(
      'Security for the machine-learning lifecycle: scan models and training data, sign and verify models, attest provenance.',
    )
    .version(toolVersion)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError();
  registerScan(program, io);
  registerGate(program, io);
  registerData(program, io);
  registerDigest(program, io);
  registerKeygen(program, io);
  registerSign(program, io);
  registerVerify(program, io);
  registerAttest(program, io);
  registerVerifyAttestation(program, io);
  registerBom(program, io);
  registerServe(program, io);
  registerGateway(program, io);
  registerProfile(program, io);
  registerDrift(program, io);
  registerMonitorClient(program, io);
  registerAudit(program, io);
  registerRegistryClient(program, io);
  registerReport(program, io);
  registerAssess(program, io);
  registerDemo(program, io);
  return program;
}

/** Runs the CLI; returns the exit code: 0 clean, 1 findings at or above --fail-on, 2 could not run. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  let exitCode: number = exitCodes.clean;
  const program = buildProgram({
    ...io,
    setExitCode: (code) => {
      exitCode = code;
    },
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? exitCodes.clean : exitCodes.failure;
    }
    if (error instanceof BundleError) {
      // A signature that cannot be trusted is a verdict, not a failure to run: never a verified result.
      io.stderr.write(`mlsecops: NOT VERIFIED: ${error.message}\n`);
      return exitCodes.findings;
    }
    if (error instanceof CliError || error instanceof PathError || error instanceof ModelPathError) {
      io.stderr.write(`mlsecops: ${error.message}\n`);
      return exitCodes.failure;
    }
    io.stderr.write(
      `mlsecops: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return exitCodes.failure;
  }
}
