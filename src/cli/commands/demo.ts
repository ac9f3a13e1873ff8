import { join } from 'node:path';
import type { Command } from 'commander';
import { dashboardDir } from '../dashboard.js';
import { CliError } from '../errors.js';
import { RegistryClient } from '../http.js';
import { type Io, serverClient } from './shared.js';

interface DemoFlags {
  readonly home?: string;
  readonly reset: boolean;
  readonly host: string;
  readonly port?: string;
  readonly serve: boolean;
  readonly server?: string;
  readonly tokenEnv: string;
}

const DEFAULT_HOME = '.mlsecops-demo';

export function registerDemo(program: Command, io: Io): void {
  program
    .command('demo')
    .description(
      'run a registry seeded with a story: a clean model in production, a poisoned retrain held back, a malicious upload rejected, a drift incident',
    )
    .option('--home <dir>', `the demo's own registry, keys and datasets (default: ${DEFAULT_HOME})`)
    .option('--reset', 'delete the demo home first and seed again', false)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (default: 8080; with --no-serve any free port)')
    .option('--no-serve', 'seed, print, and stop instead of serving until Ctrl-C')
    // Not the shared withServer: here --server is optional (without it the demo runs its own registry).
    .option('--server <url>', 'seed this running registry instead (its admin token in --token-env)')
    .option('--token-env <var>', 'environment variable holding an admin token for --server', 'MLSECOPS_TOKEN')
    .action(async (flags: DemoFlags) => {
      // The server and the engines load only when the demo runs: every other command starts faster.
      const [{ isSeeded, seedDemo, DEMO_MODEL }, { prepareHome, startDemoServer }] = await Promise.all([
        import('../demo/seed.js'),
        import('../demo/home.js'),
      ]);
      const say = (line: string) => io.stdout.write(`${line}\n`);
      const story = (line: string) => say(`  ${line}`);

      if (flags.server) {
        if (flags.reset) throw new CliError('BAD_ARGUMENTS', '--reset works on the demo home, not on --server');
        if (!io.env[flags.tokenEnv])
          throw new CliError('BAD_ARGUMENTS', `--server needs an admin token in $${flags.tokenEnv}`);
        const admin = serverClient({ server: flags.server, tokenEnv: flags.tokenEnv }, io);
        if (await isSeeded(admin)) {
          say(`${admin.server} already has a model named ${DEMO_MODEL}: not seeded again`);
          return;
        }
        say(`Seeding ${admin.server}:`);
        const started = Date.now();
        await seedDemo(admin, story, flags.home ? { workDir: join(flags.home, 'datasets') } : {});
        say(`Seeded in ${seconds(started)}; the demo accounts' tokens expire in 7 days; version 1 is not signed.`);
        return;
      }

      const home = flags.home ?? DEFAULT_HOME;
      const port = Number(flags.port ?? (flags.serve ? 8080 : 0));
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new CliError('BAD_ARGUMENTS', `bad --port ${flags.port}`);
      await prepareHome(home, flags.reset);
      const server = await startDemoServer(home, { host: flags.host, port }, flags.serve ? { level: 'warn' } : false);
      try {
        const admin = new RegistryClient(server.url, server.adminToken);
        if (await isSeeded(admin)) {
          say(`${home} is already seeded; \`mlsecops demo --reset\` deletes it and seeds again.`);
        } else {
          say(`Seeding the demo registry in ${home}:`);
          const started = Date.now();
          await seedDemo(admin, story, { workDir: join(home, 'datasets'), signingKey: server.signingKey });
          say(`Seeded in ${seconds(started)}.`);
        }
        say('');
        say(`Registry: ${server.url} (OpenAPI at ${server.url}/openapi.json)`);
        say(
          dashboardDir()
            ? `Dashboard: ${server.url}/ (sign in with the admin token)`
            : 'Dashboard: not built here (npm run build)',
        );
        say(`Admin token (sign in with it): ${server.adminToken}`);
        say('');
        if (!flags.serve) {
          say(
            `Not serving (--no-serve); \`mlsecops demo${flags.home ? ` --home ${home}` : ''}\` serves this registry again.`,
          );
          return;
        }
        say('Try:');
        say(`  export MLSECOPS_SERVER=${server.url} MLSECOPS_TOKEN=${server.adminToken}`);
        say(`  mlsecops versions ${DEMO_MODEL}`);
        say(`  mlsecops promote ${DEMO_MODEL} 2 production        # the gate says why not`);
        say('  mlsecops incidents list');
        say(`  mlsecops audit verify --server $MLSECOPS_SERVER --public-key ${server.auditPublicKey}`);
        say(`  mlsecops data scan ${join(home, 'datasets', 'transactions-v2.csv')}`);
        say('The walkthrough: docs/demo.md. Serving until Ctrl-C.');
        await new Promise<void>((resolve) => {
          const stop = () => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      } finally {
        await server.close();
      }
    });
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
