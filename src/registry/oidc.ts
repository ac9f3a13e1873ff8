import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { Database } from '../store/index.js';
import type { Principal, Role } from './access.js';

/** Single sign-on: tokens from an OpenID Connect provider, their groups mapped to registry roles. */
export interface OidcConfig {
  readonly issuer: string;
  readonly audience: string;
  /** The provider's JWKS URL (its `jwks_uri`). */
  readonly jwksUri: string;
  /** Claim holding the user's groups (default `groups`). */
  readonly groupsClaim?: string;
  /** Group name → role bindings granted to its members. */
  readonly groupRoles: Readonly<Record<string, readonly { readonly scope: string; readonly role: Role }[]>>;
  /** Accepted signature algorithms (default RS256, ES256, EdDSA). */
  readonly algorithms?: readonly string[];
}

/**
 * Validates OIDC JWTs (signature from the provider's JWKS, issuer, audience, expiry, not-before) and
 * turns them into principals: `oidc:<sub>`, recorded in the principals table so audit entries name
 * them, with the roles their groups map to (none: the token authenticates but grants nothing).
 */
export class OidcAuthenticator {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    private readonly database: Database,
    private readonly config: OidcConfig,
  ) {
    this.keys = createRemoteJWKSet(new URL(config.jwksUri), { timeoutDuration: 5000, cooldownDuration: 30_000 });
  }

  /** The principal a JWT stands for, or undefined when it does not verify. */
  async authenticate(token: string): Promise<Principal | undefined> {
    if (token.length > 16_384 || token.split('.').length !== 3) return undefined;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: [...(this.config.algorithms ?? ['RS256', 'ES256', 'EdDSA'])],
        clockTolerance: 30,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch {
      return undefined;
    }
    const subject = String(payload.sub);
    if (subject.length === 0 || subject.length > 200) return undefined;
    const name = `oidc:${subject}`;
    const claim = payload[this.config.groupsClaim ?? 'groups'];
    const groups = Array.isArray(claim) ? claim.filter((group): group is string => typeof group === 'string') : [];
    const bindings = groups.flatMap((group) => this.config.groupRoles[group] ?? []);
    const id = await this.principalId(name);
    if (id === undefined) return undefined;
    return { id, name, kind: 'user', bindings };
  }

  /** The principals row for an SSO user, created on first sight (roles come from the token, not the row). */
  private async principalId(name: string): Promise<number | undefined> {
    const existing = await this.database.db
      .selectFrom('principals')
      .select(['id', 'disabled'])
      .where('name', '=', name)
      .executeTakeFirst();
    if (existing) return existing.disabled ? undefined : existing.id;
    try {
      const { id } = await this.database.db
        .insertInto('principals')
        .values({ name, kind: 'user', created_at: new Date().toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow();
      return id;
    } catch {
      // Created concurrently by another request: read it back.
      const row = await this.database.db
        .selectFrom('principals')
        .select('id')
        .where('name', '=', name)
        .executeTakeFirstOrThrow();
      return row.id;
    }
  }
}
