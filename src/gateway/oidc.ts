import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { GatewayConfig } from './config.js';
import type { Caller } from './gateway.js';

type OidcSettings = NonNullable<GatewayConfig['oidc']>;

/**
 * Callers from single sign-on: an OIDC JWT presented as the bearer token is verified against the
 * provider's keys (fetched from its JWKS URL and cached), issuer, audience, expiry and not-before; the
 * user's groups name the models they may call. One verifier per distinct setting, so a reloaded
 * configuration with the same provider keeps its key cache.
 */
export class OidcCallers {
  private verifier: { settings: string; keys: ReturnType<typeof createRemoteJWKSet> } | undefined;

  async caller(token: string, settings: OidcSettings): Promise<Caller | undefined> {
    if (token.length > 16_384 || token.split('.').length !== 3) return undefined;
    const key = JSON.stringify([settings.jwksUri]);
    if (this.verifier?.settings !== key) {
      this.verifier = {
        settings: key,
        keys: createRemoteJWKSet(new URL(settings.jwksUri), { timeoutDuration: 5000, cooldownDuration: 30_000 }),
      };
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.verifier.keys, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: settings.algorithms,
        clockTolerance: 30,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch {
      return undefined;
    }
    const subject = String(payload.sub);
    if (subject.length === 0 || subject.length > 200) return undefined;
    const claim = payload[settings.groupsClaim];
    const groups = Array.isArray(claim) ? claim.filter((group): group is string => typeof group === 'string') : [];
    const models = new Set(groups.flatMap((group) => settings.groupModels[group] ?? []));
    return {
      id: `oidc:${subject}`,
      mayCall: (model) => models.has('*') || models.has(model),
      ...(settings.limits ? { limits: settings.limits } : {}),
    };
  }
}
