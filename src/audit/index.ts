export type { Checkpoint, CheckpointFields, NoteSigner, NoteVerifier } from './checkpoint.js';
export {
  CheckpointError,
  formatCheckpoint,
  MAX_NOTE_BYTES,
  MAX_SIGNATURES,
  noteKeyHash,
  parseCheckpoint,
  signNote,
  verifyNote,
} from './checkpoint.js';
export type { EntriesVerdict } from './log.js';
export { MerkleLog, verifyEntries } from './log.js';
export {
  consistencyProof,
  emptyRoot,
  HASH_SIZE,
  inclusionProof,
  leafHash,
  nodeHash,
  rootHash,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';
