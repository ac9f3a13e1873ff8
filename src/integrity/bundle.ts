import { z } from 'zod';

/** Media type of a Sigstore bundle v0.3, the container the model signing tool writes. */
export const BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** Predicate type of an OpenSSF Model Signing (OMS) signature. */
export const OMS_PREDICATE_TYPE = 'https://model_signing/signature/v1.0';

/** Bundles are small (a manifest and a certificate chain); anything larger is refused unread. */
export const MAX_BUNDLE_BYTES = 64 << 20;
/** A manifest with more resources than this is refused (a lying manifest must not exhaust memory). */
export const MAX_RESOURCES = 1_000_000;

/** A bundle or statement that cannot be trusted to mean anything: never a verified result. */
export class BundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleError';
  }
}

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'not base64');

// Loose objects: fields this module does not read (log entries' details, timestamps) are kept, so a
// keyless bundle reaches the Sigstore verifier whole.
const bundleSchema = z.looseObject({
  mediaType: z.string(),
  verificationMaterial: z.looseObject({
    publicKey: z.object({ hint: z.string().optional() }).optional(),
    x509CertificateChain: z
      .object({
        certificates: z
          .array(z.object({ rawBytes: base64 }))
          .min(1)
          .max(16),
      })
      .optional(),
    certificate: z.object({ rawBytes: base64 }).optional(),
    tlogEntries: z.array(z.unknown()).optional(),
    timestampVerificationData: z.unknown().optional(),
  }),
  dsseEnvelope: z.looseObject({
    payload: base64,
    payloadType: z.string(),
    signatures: z
      .array(z.object({ sig: base64, keyid: z.string().nullish() }))
      .min(1)
      .max(16),
  }),
});

export type Bundle = z.infer<typeof bundleSchema>;

const resourceSchema = z.object({
  name: z.string().min(1).max(4096),
  algorithm: z.string(),
  digest: z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex SHA-256'),
});

const statementSchema = z.object({
  _type: z.literal(STATEMENT_TYPE),
  subject: z
    .array(z.object({ name: z.string(), digest: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }) }))
    .length(1),
  predicateType: z.literal(OMS_PREDICATE_TYPE),
  predicate: z.object({
    resources: z.array(resourceSchema).max(MAX_RESOURCES),
    serialization: z.object({
      method: z.enum(['files', 'shards']),
      hash_type: z.literal('sha256'),
      allow_symlinks: z.boolean(),
      ignore_paths: z.array(z.string().max(4096)).max(10_000).optional(),
      shard_size: z.number().positive().optional(),
    }),
  }),
});

export type OmsStatement = z.infer<typeof statementSchema>;

/** Parses a bundle's text; every shape problem becomes a `BundleError` naming the field. */
export function parseBundle(text: string): Bundle {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BundleError(`signature is not JSON: ${(error as Error).message}`);
  }
  const parsed = bundleSchema.safeParse(json);
  if (!parsed.success) throw new BundleError(`not a Sigstore bundle: ${describe(parsed.error)}`);
  if (parsed.data.mediaType !== BUNDLE_MEDIA_TYPE) {
    throw new BundleError(
      `unsupported bundle media type ${JSON.stringify(parsed.data.mediaType)} (want ${BUNDLE_MEDIA_TYPE})`,
    );
  }
  if (parsed.data.dsseEnvelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new BundleError(`unsupported payload type ${JSON.stringify(parsed.data.dsseEnvelope.payloadType)}`);
  }
  return parsed.data;
}

/**
 * The signed statement, checked: an OMS predicate, resource names that stay inside the model (no
 * `..`, no absolute paths, no backslashes), names unique, and a subject digest that is the root of the
 * listed resources (a manifest that lies about its own root is refused before any file is read).
 */
export function parseStatement(payload: Buffer): OmsStatement {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw new BundleError(`signed payload is not JSON: ${(error as Error).message}`);
  }
  const parsed = statementSchema.safeParse(json);
  if (!parsed.success) throw new BundleError(`not a model signature statement: ${describe(parsed.error)}`);
  const statement = parsed.data;
  const shards = statement.predicate.serialization.method === 'shards';
  const seen = new Set<string>();
  for (const resource of statement.predicate.resources) {
    if (resource.algorithm !== 'sha256')
      throw new BundleError(`resource ${resource.name}: unsupported algorithm ${resource.algorithm}`);
    const path = shards ? shardPath(resource.name) : resource.name;
    const problem = unsafePath(path);
    if (problem) throw new BundleError(`resource name ${JSON.stringify(resource.name)} ${problem}`);
    if (seen.has(resource.name)) throw new BundleError(`resource ${JSON.stringify(resource.name)} is listed twice`);
    seen.add(resource.name);
  }
  for (const path of statement.predicate.serialization.ignore_paths ?? []) {
    const problem = unsafePath(path);
    if (problem) throw new BundleError(`ignore path ${JSON.stringify(path)} ${problem}`);
  }
  return statement;
}

/** The file part of a shard name `path:start:end`. */
function shardPath(name: string): string {
  const match = /^(.*):(\d+):(\d+)$/.exec(name);
  if (!match) throw new BundleError(`shard name ${JSON.stringify(name)} is not path:start:end`);
  if (Number(match[2]) >= Number(match[3])) throw new BundleError(`shard ${JSON.stringify(name)} is empty or reversed`);
  return match[1]!;
}

/** Why a manifest path could point outside the model, or undefined when it cannot. */
export function unsafePath(path: string): string | undefined {
  if (path === '') return 'is empty';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'is absolute';
  if (path.includes('\\')) return 'contains a backslash';
  if (path.includes('\0')) return 'contains a NUL character';
  if (path.split('/').some((part) => part === '..' || part === '.' || part === ''))
    return 'is not a plain relative path';
  return undefined;
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/** DSSE pre-authentication encoding: what is actually signed. */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'utf8'),
    type,
    Buffer.from(` ${payload.length} `, 'utf8'),
    payload,
  ]);
}
