import { runCli } from './main.js';

/** Runs the CLI in-process with captured streams. */
export async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const stream = (write: (text: string) => void) => ({ write, isTTY: false }) as unknown as NodeJS.WriteStream;
  const code = await runCli(args, {
    stdout: stream((text) => {
      stdout += text;
    }),
    stderr: stream((text) => {
      stderr += text;
    }),
    env,
    setExitCode: () => {},
  });
  return { code, stdout, stderr };
}
