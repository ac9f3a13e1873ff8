import { LimitError } from '../../limits.js';
import type { FormatScanner, ScanContext, ScanInput } from '../../types.js';
import { analyzeConfig } from './config.js';
import { readStringAttributes } from './hdf5-attributes.js';
import { findSignature, Hdf5Error, openHdf5 } from './hdf5-file.js';

/**
 * HDF5 files, as Keras 2 and tf.keras save whole models (`.h5`, `.hdf5`): the root group's `model_config`
 * and `training_config` attributes hold JSON configs, analysed like a .keras config.json. Only the
 * superblock, the root object header and the structures holding those attributes are read (a bounded
 * hand-written reader, see hdf5-file.ts); weights are never touched. Files without `model_config` (weights
 * only, or HDF5 that is not Keras) are clean as far as this scanner is concerned.
 */
const configAttributes = ['model_config', 'training_config'];
const wanted = new Set([...configAttributes, 'keras_version', 'backend']);

/** Names that promise HDF5 when the signature is not in the first 4 KiB (a user block of 4 KiB or more). */
const hdf5Name = /\.(h5|hdf5|he5|hdf)$/i;

export const hdf5Scanner: FormatScanner = {
  name: 'hdf5',
  version: '1',
  sniff: (head, hint) =>
    findSignature(head) !== undefined || (!hint.strict && hdf5Name.test(hint.name) && hint.size > head.length),
  scan: scanHdf5,
};

async function scanHdf5(ctx: ScanContext, input: ScanInput, head: Buffer): Promise<void> {
  const base = findSignature(head) ?? (await findLateSignature(input));
  if (base === undefined) {
    ctx.report(input, {
      ruleId: 'scan.unrecognized-format',
      evidence: `${input.name}: no HDF5 signature at offset 0 or any power of two from 512`,
    });
    return;
  }
  let attributes: Awaited<ReturnType<typeof readStringAttributes>>;
  try {
    const file = await openHdf5(input.source, base);
    attributes = await readStringAttributes(file, file.rootAddress, wanted, () => ctx.checkTime());
  } catch (error) {
    if (error instanceof LimitError || !(error instanceof Hdf5Error || error instanceof RangeError)) throw error;
    malformed(ctx, input, `HDF5 root group unreadable: ${error.message}`);
    return;
  }
  for (const problem of attributes.problems) malformed(ctx, input, `HDF5 attribute unreadable: ${problem}`);
  const byName = new Map(attributes.attributes.map((attribute) => [attribute.name, attribute]));
  if (byName.has('model_config')) ctx.format('keras-h5');
  for (const name of configAttributes) {
    const attribute = byName.get(name);
    if (!attribute || attribute.value.length === 0) continue;
    let config: unknown;
    try {
      config = JSON.parse(attribute.value.toString('utf8'));
    } catch (error) {
      // Keras cannot load a config it cannot parse, so nothing runs; the file is still not what it claims.
      malformed(ctx, input, `${name} is not JSON (${(error as Error).message.slice(0, 120)})`);
      continue;
    }
    await analyzeConfig(ctx, input, config, name, true);
  }
}

/** HDF5 loaders look for the superblock at 0, 512, 1024, … so a large user block can push it past the head. */
async function findLateSignature(input: ScanInput): Promise<number | undefined> {
  for (let offset = 4096; offset + 8 <= input.source.size; offset *= 2) {
    if (findSignature(await input.source.read(offset, 8)) === 0) return offset;
  }
  return undefined;
}

function malformed(ctx: ScanContext, input: ScanInput, message: string): void {
  ctx.report(input, { ruleId: 'scan.malformed', evidence: message });
  ctx.partial(input, 'PARSE_ERROR', message);
}
