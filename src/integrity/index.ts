export type { BomInput, ModelCardFacts } from './bom.js';
export { buildBom, modelCardFacts, readCardText } from './bom.js';
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
export type { ProvenanceInput, ProvenanceStatement, ResourceDescriptor } from './provenance.js';
export {
  codeDescriptor,
  DEFAULT_BUILDER_ID,
  datasetDescriptor,
  MODEL_BUILD_TYPE,
  parseProvenance,
  provenanceStatement,
  SLSA_PROVENANCE_V1,
} from './provenance.js';
export type { KeySigner, Signer } from './sign.js';
export {
  bundleFor,
  certificateSigner,
  generateKeyPair,
  keylessSigner,
  keySigner,
  omsStatement,
  privateKeyFromPem,
  signModel,
  statementBundle,
} from './sign.js';
export type { KeylessOptions, KeylessPolicy } from './sigstore.js';
export { embeddedTrustedRoot, signKeyless, verifyKeyless } from './sigstore.js';
export type { AttestationResult, TrustAnchor, VerifyOptions, VerifyResult } from './verify.js';
export { compareResources, readBundle, verifiedPayload, verifyAttestation, verifyModel } from './verify.js';
