import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../store/index.js';
import { can } from './access.js';
import { OidcAuthenticator } from './oidc.js';

let server: Server;
let jwksUri: string;
let database: Database;
let sign: (
  claims: Record<string, unknown>,
  options?: { exp?: string | number; iss?: string; aud?: string },
) => Promise<string>;
let foreign: (claims: Record<string, unknown>) => Promise<string>;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const stranger = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  // A real JWKS endpoint on loopback, as an identity provider serves it.
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  sign = (claims, options = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(options.iss ?? 'https://idp.example.org')
      .setAudience(options.aud ?? 'mlsecops')
      .setIssuedAt()
      .setExpirationTime(options.exp ?? '10m')
      .sign(privateKey);
  foreign = (claims) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('https://idp.example.org')
      .setAudience('mlsecops')
      .setExpirationTime('10m')
      .sign(stranger.privateKey);
  database = await openDatabase({ url: ':memory:' });
});
afterAll(async () => {
  server.close();
  await database.close();
});

describe('OidcAuthenticator', () => {
  const config = () => ({
    issuer: 'https://idp.example.org',
    audience: 'mlsecops',
    jwksUri,
    groupRoles: {
      'ml-platform': [{ scope: '*', role: 'admin' as const }],
      'team-nlp': [{ scope: 'ranker', role: 'publisher' as const }],
    },
  });

  it('maps groups to roles and records the user as a principal', async () => {
    const oidc = new OidcAuthenticator(database, config());
    const user = await oidc.authenticate(await sign({ sub: 'u-42', groups: ['team-nlp', 'unrelated'] }));
    expect(user?.name).toBe('oidc:u-42');
    expect(user && can(user, 'model:register', 'ranker')).toBe(true);
    expect(user && can(user, 'model:register', 'other')).toBe(false);
    const again = await oidc.authenticate(await sign({ sub: 'u-42', groups: ['ml-platform'] }));
    expect(again?.id).toBe(user?.id);
    expect(again && can(again, 'admin')).toBe(true);
    const none = await oidc.authenticate(await sign({ sub: 'u-43' }));
    expect(none?.bindings).toEqual([]);
  });

  it('refuses expired, foreign-issuer, wrong-audience, wrongly signed and malformed tokens', async () => {
    const oidc = new OidcAuthenticator(database, config());
    const past = Math.floor(Date.now() / 1000) - 3600;
    for (const token of [
      await sign({ sub: 'a' }, { exp: past }),
      await sign({ sub: 'a' }, { iss: 'https://evil.example.org' }),
      await sign({ sub: 'a' }, { aud: 'someone-else' }),
      await foreign({ sub: 'a', groups: ['ml-platform'] }),
      'not.a.jwt',
      'x'.repeat(20_000),
    ]) {
      expect(await oidc.authenticate(token)).toBeUndefined();
    }
  });
});
