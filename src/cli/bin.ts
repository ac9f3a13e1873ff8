import { runCli } from './main.js';

// The one place that touches the real process: argv in, exit code out.
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  setExitCode: () => {},
});
process.exitCode = code;
