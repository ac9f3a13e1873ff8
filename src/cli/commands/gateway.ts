import { watch } from 'node:fs';
import type { Command } from 'commander';
import type { Buckets, EventSink, GatewayConfig } from '../../gateway/index.js';
import { CliError } from '../errors.js';
import type { Io } from './shared.js';

export function registerGateway(program: Command, io: Io): void {
  program
    .command('gateway')
    .description('run the inference security gateway in front of model servers')
    .requiredOption('--config <file>', 'gateway configuration (YAML or JSON); reloaded when it changes')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '8081')
    .option('--log-level <level>', 'pino log level (info logs every request)', 'info')
    .option('--events <file>', 'append one JSON line per request to this file (batched, never blocking)')
    .option(
      '--event-store <url>',
      "write events to the monitor's event store: postgres://… or a SQLite file (default: MLSECOPS_DATABASE_URL when set)",
    )
    .action(async (flags: GatewayFlags) => {
      // The gateway's dependencies load only when it runs: every other command starts faster.
      const { connectBuckets, createGateway, GatewayConfigError, loadGatewayConfig, WorkerEventSink } = await import(
        '../../gateway/index.js'
      );
      let config: GatewayConfig;
      try {
        config = await loadGatewayConfig(flags.config);
      } catch (error) {
        if (error instanceof GatewayConfigError) throw new CliError('BAD_ARGUMENTS', error.message);
        throw new CliError('PATH_UNREADABLE', `cannot read ${flags.config}: ${(error as Error).message}`);
      }
      const redisUrl = io.env.MLSECOPS_REDIS_URL;
      const shared = redisUrl ? await connectBuckets(redisUrl).catch(badArgument) : undefined;
      const redis = shared?.redis;
      const buckets: Buckets | undefined = shared?.buckets;
      // Events are written on a thread of their own (the file, the event store, or both).
      const store = flags.eventStore ?? io.env.MLSECOPS_DATABASE_URL;
      let sink: EventSink | undefined;
      if (store || flags.events) {
        try {
          sink = await WorkerEventSink.start({
            ...(store ? { store } : {}),
            ...(flags.events ? { file: flags.events } : {}),
          });
        } catch (error) {
          badArgument(error);
        }
      }
      const app = await createGateway({
        config: () => config,
        logger: { level: flags.logLevel },
        ...(buckets ? { buckets } : {}),
        ...(sink ? { events: sink } : {}),
      });
      // Hot reload: a valid new file replaces the configuration; an invalid one is reported and ignored.
      const watcher = watch(flags.config, { persistent: false }, () => {
        loadGatewayConfig(flags.config).then(
          (next) => {
            config = next;
            app.log.info({ file: flags.config }, 'gateway configuration reloaded');
          },
          (error: Error) => app.log.error({ file: flags.config, error: error.message }, 'configuration not reloaded'),
        );
      });
      const address = await app.listen({ host: flags.host, port: Number(flags.port) });
      io.stderr.write(`mlsecops gateway listening on ${address}${redis ? ' (limits shared in Redis)' : ''}\n`);
      const stop = async () => {
        watcher.close();
        await app.close();
        redis?.disconnect();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await new Promise<void>((resolve) => app.server.once('close', () => resolve()));
    });
}

interface GatewayFlags {
  readonly config: string;
  readonly host: string;
  readonly port: string;
  readonly events?: string;
  readonly eventStore?: string;
  readonly logLevel: string;
}

function badArgument(error: unknown): never {
  throw new CliError('BAD_ARGUMENTS', (error as Error).message);
}
