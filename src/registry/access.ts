import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database, RegistrySchema } from '../store/index.js';
import type { AuditTrail } from './audit-trail.js';
import { RegistryError } from './errors.js';

/** What a request may do. Register, promote and delete are separate: a CI publisher cannot delete. */
export const permissions = [
  'model:read',
  'model:register',
  'model:approve',
  'model:promote',
  'model:delete',
  'artifact:read-quarantined',
  'incident:manage',
  'admin',
] as const;
export type Permission = (typeof permissions)[number];

export const roles = ['reader', 'publisher', 'approver', 'admin'] as const;
export type Role = (typeof roles)[number];

const grants: Record<Role, readonly Permission[]> = {
  reader: ['model:read'],
  publisher: ['model:read', 'model:register'],
  // Release managers: approve versions and move aliases (through the gate); never register or delete.
  approver: ['model:read', 'model:approve', 'model:promote', 'incident:manage'],
  admin: permissions,
};

export interface Principal {
  readonly id: number;
  readonly name: string;
  readonly kind: 'user' | 'service';
  /** The token the request came with (absent for principals not authenticated by token). */
  readonly tokenId?: number;
  /** Role bindings: scope `*` (every model) or a model name. */
  readonly bindings: readonly { readonly scope: string; readonly role: Role }[];
}

/** Whether `principal` holds `permission` on `model` (or on every model when `model` is undefined). */
export function can(principal: Principal, permission: Permission, model?: string): boolean {
  return principal.bindings.some(
    (binding) => grants[binding.role].includes(permission) && scopeCovers(binding.scope, model),
  );
}

/**
 * Scopes: `*` (every model), a model name, or a project `<project>.*` covering the models named
 * `<project>.<anything>` (model names may hold dots for this). A scope never covers "no model": only
 * `*` grants permissions that are not about one model (listing accounts, the audit log).
 */
export function scopeCovers(scope: string, model: string | undefined): boolean {
  if (scope === '*') return true;
  if (model === undefined) return false;
  if (scope.endsWith('.*')) return model.startsWith(scope.slice(0, -1));
  return scope === model;
}

/** Tokens look like `mls_<43 base64url characters>`: 256 random bits, recognisable in secret scanners. */
const TOKEN = /^mls_[A-Za-z0-9_-]{43}$/;

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface IssuedToken {
  /** The secret: returned once, never stored. */
  readonly token: string;
  readonly id: number;
  readonly prefix: string;
  readonly expiresAt: string | null;
}

/** Issues a token for a principal; only its SHA-256 is stored. */
export async function issueToken(database: Database, principalId: number, ttlDays?: number): Promise<IssuedToken> {
  const token = `mls_${randomBytes(32).toString('base64url')}`;
  const now = new Date();
  const expiresAt = ttlDays === undefined ? null : new Date(now.getTime() + ttlDays * 86_400_000).toISOString();
  const { id } = await database.db
    .insertInto('tokens')
    .values({
      principal_id: principalId,
      prefix: token.slice(0, 10),
      hash: tokenHash(token),
      created_at: now.toISOString(),
      expires_at: expiresAt,
      revoked_at: null,
      last_used_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { token, id, prefix: token.slice(0, 10), expiresAt };
}

/** The principal a bearer token belongs to, or undefined (unknown, malformed, expired, revoked, disabled). */
export async function authenticate(database: Database, token: string): Promise<Principal | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const hash = tokenHash(token);
  const row = await database.db
    .selectFrom('tokens')
    .innerJoin('principals', 'principals.id', 'tokens.principal_id')
    .select([
      'tokens.id as tokenId',
      'tokens.hash',
      'tokens.expires_at',
      'tokens.revoked_at',
      'principals.id',
      'principals.name',
      'principals.kind',
      'principals.disabled',
    ])
    .where('tokens.hash', '=', hash)
    .executeTakeFirst();
  if (!row) return undefined;
  // The lookup is by hash; compare again in constant time so timing says nothing about near misses.
  if (!timingSafeEqual(Buffer.from(row.hash), Buffer.from(hash))) return undefined;
  const now = new Date().toISOString();
  if (row.revoked_at !== null || row.disabled || (row.expires_at !== null && row.expires_at <= now)) return undefined;
  await database.db.updateTable('tokens').set({ last_used_at: now }).where('id', '=', row.tokenId).execute();
  const bindings = await database.db
    .selectFrom('role_bindings')
    .select(['scope', 'role'])
    .where('principal_id', '=', row.id)
    .execute();
  return { id: row.id, name: row.name, kind: row.kind, tokenId: row.tokenId, bindings };
}

/** Inserts a principal and its role bindings inside the caller's transaction. */
async function insertPrincipal(
  tx: Transaction<RegistrySchema>,
  name: string,
  kind: 'user' | 'service',
  bindings: readonly { scope: string; role: Role }[],
): Promise<number> {
  const { id } = await tx
    .insertInto('principals')
    .values({ name, kind, created_at: new Date().toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const binding of bindings) {
    await tx
      .insertInto('role_bindings')
      .values({ principal_id: id, scope: binding.scope, role: binding.role })
      .execute();
  }
  return id;
}

export async function createPrincipal(
  database: Database,
  name: string,
  kind: 'user' | 'service',
  bindings: readonly { scope: string; role: Role }[],
): Promise<number> {
  return database.db.transaction().execute((tx) => insertPrincipal(tx, name, kind, bindings));
}

/**
 * First start: when no principal exists, creates `admin` with the admin role on every model and
 * returns its token, to be shown once. There is no default password, and a second start creates
 * nothing.
 */
export async function bootstrapAdmin(database: Database): Promise<IssuedToken | undefined> {
  const existing = await database.db.selectFrom('principals').select('id').limit(1).executeTakeFirst();
  if (existing) return undefined;
  const id = await createPrincipal(database, 'admin', 'user', [{ scope: '*', role: 'admin' }]);
  return issueToken(database, id);
}

/** Who did something, as the audit log records it: principal and the token used. */
export function actorOf(principal: Principal): { id: number; name: string; token?: number } {
  return {
    id: principal.id,
    name: principal.name,
    ...(principal.tokenId === undefined ? {} : { token: principal.tokenId }),
  };
}

/** Principals and tokens as the admin API manages them, every change on the audit trail. */
export class AccessAdmin {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditTrail,
  ) {}

  async createPrincipal(
    admin: Principal,
    name: string,
    kind: 'user' | 'service',
    bindings: readonly { scope: string; role: Role }[],
  ): Promise<number> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/.test(name))
      throw new RegistryError('INVALID', `invalid principal name ${JSON.stringify(name)}`);
    try {
      return await this.database.db.transaction().execute(async (tx) => {
        const id = await insertPrincipal(tx, name, kind, bindings);
        await this.audit.append(tx, {
          kind: 'principal.created',
          actor: actorOf(admin),
          details: { principal: name, principalKind: kind, bindings },
        });
        return id;
      });
    } catch (error) {
      if (error instanceof RegistryError) throw error;
      throw new RegistryError('CONFLICT', `principal ${name} exists`);
    }
  }

  /** Replaces a principal's role bindings; the old and new ones both go on the audit trail. */
  async setBindings(
    admin: Principal,
    principalId: number,
    bindings: readonly { scope: string; role: Role }[],
  ): Promise<void> {
    await this.database.db.transaction().execute(async (tx) => {
      const principal = await tx
        .selectFrom('principals')
        .select('name')
        .where('id', '=', principalId)
        .executeTakeFirst();
      if (!principal) throw new RegistryError('NOT_FOUND', `no principal ${principalId}`);
      const before = await tx
        .selectFrom('role_bindings')
        .select(['scope', 'role'])
        .where('principal_id', '=', principalId)
        .execute();
      await tx.deleteFrom('role_bindings').where('principal_id', '=', principalId).execute();
      for (const binding of bindings) {
        await tx
          .insertInto('role_bindings')
          .values({ principal_id: principalId, scope: binding.scope, role: binding.role })
          .execute();
      }
      await this.audit.append(tx, {
        kind: 'roles.changed',
        actor: actorOf(admin),
        details: { principal: principal.name, before, after: bindings },
      });
    });
  }

  async issueToken(admin: Principal, principalId: number, ttlDays?: number): Promise<IssuedToken> {
    const exists = await this.database.db
      .selectFrom('principals')
      .select('name')
      .where('id', '=', principalId)
      .executeTakeFirst();
    if (!exists) throw new RegistryError('NOT_FOUND', `no principal ${principalId}`);
    const issued = await issueToken(this.database, principalId, ttlDays);
    await this.audit.append(this.database.db, {
      kind: 'token.issued',
      actor: actorOf(admin),
      details: { principal: exists.name, token: issued.id, prefix: issued.prefix, expiresAt: issued.expiresAt },
    });
    return issued;
  }

  async revokeToken(admin: Principal, tokenId: number): Promise<void> {
    await this.database.db.transaction().execute(async (tx) => {
      const result = await tx
        .updateTable('tokens')
        .set({ revoked_at: new Date().toISOString() })
        .where('id', '=', tokenId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) throw new RegistryError('NOT_FOUND', `no active token ${tokenId}`);
      await this.audit.append(tx, { kind: 'token.revoked', actor: actorOf(admin), details: { token: tokenId } });
    });
  }

  async list(): Promise<{ id: number; name: string; kind: string; bindings: { scope: string; role: string }[] }[]> {
    const principals = await this.database.db
      .selectFrom('principals')
      .select(['id', 'name', 'kind'])
      .orderBy('id')
      .execute();
    const bindings = await this.database.db
      .selectFrom('role_bindings')
      .select(['principal_id', 'scope', 'role'])
      .execute();
    return principals.map((p) => ({
      ...p,
      bindings: bindings.filter((b) => b.principal_id === p.id).map((b) => ({ scope: b.scope, role: b.role })),
    }));
  }
}
