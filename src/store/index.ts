export type { BlobStore, Digest, PutResult } from './blobs.js';
export { BlobError, checkDigest, LocalBlobStore } from './blobs.js';
export type { Database, DatabaseOptions } from './database.js';
export { DEFAULT_SQLITE_PATH, openDatabase } from './database.js';
export type { Dialect } from './migrations.js';
export { migrateToLatest } from './migrations.js';
export type { S3Location } from './s3-blobs.js';
export { parseS3Url, S3BlobStore } from './s3-blobs.js';
export type { RegistrySchema } from './schema.js';
