import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { consistencyProof, formatCheckpoint, inclusionProof, leafHash, rootHash, signNote } from '../audit/index.js';
import { canonicalJson } from '../contracts/index.js';
import type { Database, RegistrySchema } from '../store/index.js';

/** What happened, by whom: one entry of the registry's tamper-evident log. */
export interface AuditEvent {
  readonly kind: string;
  readonly actor: { readonly id: number; readonly name: string } | null;
  readonly details: Readonly<Record<string, unknown>>;
}

type Executor = Kysely<RegistrySchema> | Transaction<RegistrySchema>;

/**
 * The registry's audit trail: every state change appends an entry, in the same transaction as the
 * change, numbered by incrementing one counter row (so appends serialize and numbers have no gaps).
 * Entries are canonical JSON; their RFC 6962 Merkle tree is what signed checkpoints commit to, so an
 * entry edited, deleted or reordered in the database no longer matches any checkpoint handed out.
 */
export class AuditTrail {
  /** Leaf hashes of the entries read so far, by number: extended, never recomputed. */
  private readonly leaves: Buffer[] = [];

  constructor(
    private readonly database: Database,
    private readonly signer: { readonly origin: string; readonly name: string; readonly privateKey: KeyObject },
  ) {}

  get origin(): string {
    return this.signer.origin;
  }

  /** The checkpoint key: Ed25519 public key and the name notes are signed under. */
  publicKey(): { name: string; origin: string; pem: string } {
    const pem = createPublicKey(this.signer.privateKey).export({ type: 'spki', format: 'pem' }) as string;
    return { name: this.signer.name, origin: this.signer.origin, pem };
  }

  async append(executor: Executor, event: AuditEvent): Promise<number> {
    const head = await executor
      .updateTable('audit_head')
      .set((eb) => ({ size: eb('size', '+', 1) }))
      .where('id', '=', 1)
      .returning('size')
      .executeTakeFirstOrThrow();
    const seq = Number(head.size) - 1;
    const at = new Date().toISOString();
    const body = canonicalJson({ seq, at, kind: event.kind, actor: event.actor, details: event.details });
    await executor
      .insertInto('audit_entries')
      .values({ seq, at, kind: event.kind, actor: event.actor?.id ?? null, body })
      .execute();
    return seq;
  }

  /** How many entries the log holds. */
  async size(): Promise<number> {
    const head = await this.database.db
      .selectFrom('audit_head')
      .select('size')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return Number(head.size);
  }

  /** Entries `[from, from + limit)` exactly as stored. */
  async entries(from = 0, limit = 1000): Promise<string[]> {
    const rows = await this.database.db
      .selectFrom('audit_entries')
      .select(['seq', 'body'])
      .where('seq', '>=', from)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((row) => row.body);
  }

  /** Brings the cached leaf hashes up to the log's current size; returns that size. */
  private async sync(): Promise<number> {
    const head = await this.database.db
      .selectFrom('audit_head')
      .select('size')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    const size = Number(head.size);
    while (this.leaves.length < size) {
      const batch = await this.entries(this.leaves.length, 10_000);
      if (batch.length === 0) break;
      for (const body of batch) this.leaves.push(leafHash(Buffer.from(body, 'utf8')));
    }
    return Math.min(size, this.leaves.length);
  }

  /** A signed checkpoint (C2SP signed note) of the log as it stands. */
  async checkpoint(): Promise<string> {
    const size = await this.sync();
    const body = formatCheckpoint({ origin: this.signer.origin, size, root: rootHash(this.leaves, size) });
    return signNote(body, { name: this.signer.name, privateKey: this.signer.privateKey });
  }

  async inclusion(index: number, size?: number): Promise<Buffer[]> {
    const current = await this.sync();
    return inclusionProof(this.leaves, index, size ?? current);
  }

  async consistency(oldSize: number, newSize?: number): Promise<Buffer[]> {
    const current = await this.sync();
    return consistencyProof(this.leaves, oldSize, newSize ?? current);
  }
}
