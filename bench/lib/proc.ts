import { spawn } from 'node:child_process';

export interface ProcResult {
  /** Wall time from spawn to exit, in milliseconds. */
  readonly ms: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Spawns a process, collects its output and times it from spawn to exit. */
export function runTimed(command: string, args: readonly string[], cwd?: string): Promise<ProcResult> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({
        ms: performance.now() - start,
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** Like runTimed, but rejects with the process's stderr when it exits with a code not in `ok`. */
export async function runChecked(
  command: string,
  args: readonly string[],
  ok: readonly number[] = [0],
  cwd?: string,
): Promise<ProcResult> {
  const result = await runTimed(command, args, cwd);
  if (result.code === null || !ok.includes(result.code)) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.code}:\n${result.stderr.slice(-2000)}`);
  }
  return result;
}
