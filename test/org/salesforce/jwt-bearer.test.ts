import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  JwtBearerTokenSource,
  TokenRequestError,
  type JwtBearerOptions,
} from '../../../middleware/src/org/salesforce/jwt-bearer.js';
import {
  startSalesforceStandIn,
  type StandIn,
  type StandInOptions,
} from '../../salesforce-stand-in/index.js';
import {
  CLIENT_ID,
  INTEGRATION_USER,
  packageSchema,
  rsaPem,
  SILENT,
} from './salesforce-fixture.js';

/** A PKCS#1 key whose certificate the connected app does not hold. */
const OTHER_PKCS1_KEY = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;

let standIn: StandIn | undefined;

afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function start(options: Partial<StandInOptions> = {}) {
  standIn = await startSalesforceStandIn({
    schema: await packageSchema(),
    clientId: CLIENT_ID,
    jwtPublicKey: rsaPem().publicKey,
    ...options,
  });
  return standIn;
}

function source(
  org: StandIn,
  overrides: Partial<JwtBearerOptions> = {},
): JwtBearerTokenSource {
  return new JwtBearerTokenSource({
    loginUrl: org.loginUrl,
    audience: 'https://login.salesforce.com',
    clientId: CLIENT_ID,
    username: INTEGRATION_USER,
    privateKeyPem: rsaPem().privateKey,
    timeoutMs: 2_000,
    logger: SILENT,
    ...overrides,
  });
}

describe('JwtBearerTokenSource', () => {
  it('exchanges a signed assertion for a token', async () => {
    const org = await start();
    const token = await source(org).requestToken();
    expect(token.instanceUrl).toBe(org.instanceUrl);
    const limits = await fetch(
      `${org.instanceUrl}/services/data/v62.0/limits`,
      { headers: { Authorization: `Bearer ${token.accessToken}` } },
    );
    expect(limits.status).toBe(200);
    expect(org.requests[0]).toMatchObject({
      method: 'POST',
      path: '/services/oauth2/token',
      status: 200,
    });
  });

  it('sends the audience apart from the login URL', async () => {
    const org = await start({ audience: 'https://test.salesforce.com' });
    await expect(source(org).requestToken()).rejects.toMatchObject({
      error: 'invalid_grant',
      description: 'audience is invalid',
    });
    const token = await source(org, {
      audience: 'https://test.salesforce.com',
    }).requestToken();
    expect(token.accessToken).toMatch(/^00D/);
  });

  it.each([
    ['a wrong consumer key', { clientId: 'other-app' }, 'invalid_client_id'],
    ['another key pair', { privateKeyPem: OTHER_PKCS1_KEY }, 'invalid_grant'],
    ['an unknown user', { username: 'nobody@acme.example' }, 'invalid_grant'],
  ])('reports %s', async (_label, overrides, error) => {
    const org = await start();
    const failed = source(org, overrides).requestToken();
    await expect(failed).rejects.toBeInstanceOf(TokenRequestError);
    await expect(failed).rejects.toMatchObject({ error, status: 400 });
  });

  it('rejects a key that is not a private key', () => {
    expect(
      () =>
        new JwtBearerTokenSource({
          loginUrl: 'http://127.0.0.1:1',
          audience: 'https://login.salesforce.com',
          clientId: CLIENT_ID,
          username: INTEGRATION_USER,
          privateKeyPem: rsaPem().publicKey,
          timeoutMs: 1_000,
          logger: SILENT,
        }),
    ).toThrow(/cannot be read/);
  });
});
