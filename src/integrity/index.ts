export type { Bundle, OmsStatement } from './bundle.js';
export {
  BUNDLE_MEDIA_TYPE,
  BundleError,
  OMS_PREDICATE_TYPE,
  pae,
  parseBundle,
  parseStatement,
  unsafePath,
} from './bundle.js';
export { HashPool } from './hash-pool.js';
export type { KeyKind } from './keys.js';
export {
  certificatesFromPem,
  keyKind,
  publicKeyFromPem,
  signatureDigest,
  verifyChain,
  verifySignature,
} from './keys.js';
export type { Manifest, Resource, Serialization, SerializationOptions } from './manifest.js';
export { computeManifest, DEFAULT_SHARD_SIZE, rootDigest, serializationFor } from './manifest.js';
export type { ModelFile } from './model-files.js';
export {
  comparePaths,
  DEFAULT_IGNORED,
  DEFAULT_SIGNATURE,
  ignoreRelativeTo,
  ModelPathError,
  modelFiles,
} from './model-files.js';
export type { Signer } from './sign.js';
export {
  bundleFor,
  certificateSigner,
  generateKeyPair,
  keySigner,
  omsStatement,
  privateKeyFromPem,
  signModel,
} from './sign.js';
export type { TrustAnchor, VerifyOptions, VerifyResult } from './verify.js';
export { readBundle, verifyModel } from './verify.js';
