import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { buildBom, serializationFor } from '../../integrity/index.js';
import { scanPaths } from '../../scan/index.js';
import { addSerializationOptions, type SerializationFlags, serializationFromFlags } from './digest.js';
import type { Io } from './shared.js';

export function registerBom(program: Command, io: Io): void {
  const command = program
    .command('bom')
    .description('write a CycloneDX 1.6 AI bill of materials (ML-BOM) for a model folder or file')
    .argument('<model>', 'model folder or file')
    .option('--dataset <paths...>', 'datasets the model was trained or evaluated on (hashed into data components)')
    .option('--no-scan', 'leave out the model scan (its findings are otherwise listed as vulnerabilities)')
    .option('--out <file>', 'write the BOM here instead of stdout');
  addSerializationOptions(command);
  command.action(
    async (model: string, flags: SerializationFlags & { dataset?: string[]; scan: boolean; out?: string }) => {
      const scan = flags.scan ? await scanPaths([model]) : undefined;
      const bom = await buildBom({
        model,
        serialization: serializationFor(serializationFromFlags(model, flags)),
        datasets: flags.dataset ?? [],
        ...(scan ? { scan } : {}),
      });
      const json = `${JSON.stringify(bom, null, 2)}\n`;
      if (flags.out) {
        await writeFile(flags.out, json);
        io.stdout.write(`wrote ${flags.out}\n`);
      } else io.stdout.write(json);
    },
  );
}
