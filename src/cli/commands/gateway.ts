import { watch } from 'node:fs';
import type { Command } from 'commander';
import { Redis } from 'ioredis';
import {
  type Buckets,
  createGateway,
  type GatewayConfig,
  GatewayConfigError,
  JsonLinesSink,
  loadGatewayConfig,
  RedisBuckets,
} from '../../gateway/index.js';
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
    .action(async (flags: { config: string; host: string; port: string; events?: string; logLevel: string }) => {
      let config: GatewayConfig;
      try {
        config = await loadGatewayConfig(flags.config);
      } catch (error) {
        if (error instanceof GatewayConfigError) throw new CliError('BAD_ARGUMENTS', error.message);
        throw new CliError('PATH_UNREADABLE', `cannot read ${flags.config}: ${(error as Error).message}`);
      }
      const redisUrl = io.env.MLSECOPS_REDIS_URL;
      const redis = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: false }) : undefined;
      const buckets: Buckets | undefined = redis ? new RedisBuckets(redis) : undefined;
      const app = await createGateway({
        config: () => config,
        logger: { level: flags.logLevel },
        ...(buckets ? { buckets } : {}),
        ...(flags.events ? { events: new JsonLinesSink(flags.events) } : {}),
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
