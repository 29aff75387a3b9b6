import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { CryptoKey } from 'jose';
import {
  JWT_BEARER_GRANT,
  type StandIn,
} from '../salesforce-stand-in/index.js';
import {
  INTEGRATION_USER,
  rsaKeyPair,
  signAssertion,
  startStandIn,
} from './stand-in-fixture.js';

const CLIENT_ID = '3MVG9-test-consumer-key';

describe('stand-in OAuth JWT bearer grant', () => {
  let standIn: StandIn;
  let privateKey: CryptoKey;

  beforeAll(async () => {
    const keys = await rsaKeyPair();
    privateKey = keys.privateKey;
    standIn = await startStandIn({
      clientId: CLIENT_ID,
      jwtPublicKey: keys.publicKey,
      users: [
        {
          username: INTEGRATION_USER,
          customPermissions: ['Cosell_Integration'],
        },
        { username: 'unapproved@stand-in.example', approved: false },
      ],
    });
  });

  afterAll(() => standIn.close());

  async function token(form: Record<string, string>) {
    const response = await fetch(`${standIn.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  async function grant(
    claims: Partial<{ iss: string; sub: string; aud: string; exp: number }>,
    key = privateKey,
  ) {
    const assertion = await signAssertion(key, {
      iss: CLIENT_ID,
      sub: INTEGRATION_USER,
      ...claims,
    });
    return token({ grant_type: JWT_BEARER_GRANT, assertion });
  }

  test('issues a token that opens the data API', async () => {
    const { status, body } = await grant({});
    expect(status).toBe(200);
    expect(body).toMatchObject({
      instance_url: standIn.instanceUrl,
      token_type: 'Bearer',
      scope: 'api',
    });
    expect(body.access_token).toMatch(/^00D\w{12}!/);
    expect(body.id).toBe(
      `${standIn.instanceUrl}/id/${standIn.orgId}/${standIn.users[0]?.id}`,
    );
    expect(body.issued_at).toMatch(/^\d+$/);
    expect(body.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const data = await fetch(
      `${standIn.instanceUrl}/services/data/v62.0/limits`,
      {
        headers: { Authorization: `Bearer ${body.access_token}` },
      },
    );
    expect(data.status).toBe(200);
  });

  test('accepts the sandbox audience', async () => {
    expect((await grant({ aud: 'https://test.salesforce.com' })).status).toBe(
      200,
    );
  });

  test.each([
    [
      'another client id',
      { iss: 'someone-else' },
      'invalid_client_id',
      'client identifier invalid',
    ],
    [
      'a wrong audience',
      { aud: 'https://example.invalid' },
      'invalid_grant',
      'audience is invalid',
    ],
    [
      'an expired assertion',
      { exp: Math.floor(Date.now() / 1000) - 10 },
      'invalid_grant',
      'expired authorization code',
    ],
    [
      'an unknown user',
      { sub: 'nobody@stand-in.example' },
      'invalid_grant',
      "user hasn't approved this consumer",
    ],
    [
      'an unapproved user',
      { sub: 'unapproved@stand-in.example' },
      'invalid_grant',
      "user hasn't approved this consumer",
    ],
  ])('rejects %s', async (_case, claims, error, description) => {
    const { status, body } = await grant(claims);
    expect(status).toBe(400);
    expect(body).toEqual({ error, error_description: description });
  });

  test('rejects a signature by another key', async () => {
    const other = await rsaKeyPair();
    const { status, body } = await grant({}, other.privateKey);
    expect(status).toBe(400);
    expect(body).toEqual({
      error: 'invalid_grant',
      error_description: 'invalid assertion',
    });
  });

  test('rejects a garbled assertion', async () => {
    const { status, body } = await token({
      grant_type: JWT_BEARER_GRANT,
      assertion: 'not.a.jwt',
    });
    expect(status).toBe(400);
    expect(body.error_description).toBe('invalid assertion');
  });

  test('rejects another grant type', async () => {
    const { status, body } = await token({
      grant_type: 'password',
      username: 'x',
      password: 'y',
    });
    expect(status).toBe(400);
    expect(body).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'grant type not supported',
    });
  });
});

describe('stand-in bearer tokens', () => {
  let standIn: StandIn;

  beforeAll(async () => {
    standIn = await startStandIn();
  });

  afterAll(() => standIn.close());

  async function limits(authorization?: string) {
    const response = await fetch(
      `${standIn.instanceUrl}/services/data/v62.0/limits`,
      {
        headers: authorization ? { Authorization: authorization } : {},
      },
    );
    return { status: response.status, body: (await response.json()) as any };
  }

  test('rejects a missing or unknown token', async () => {
    const expected = [
      {
        message: 'Session expired or invalid',
        errorCode: 'INVALID_SESSION_ID',
      },
    ];
    expect(await limits()).toEqual({ status: 401, body: expected });
    expect(await limits('Bearer 00Dnope!nope')).toEqual({
      status: 401,
      body: expected,
    });
  });

  test('a revoked token stops working', async () => {
    const accessToken = standIn.issueToken(INTEGRATION_USER);
    expect((await limits(`Bearer ${accessToken}`)).status).toBe(200);
    expect(standIn.revokeToken(accessToken)).toBe(true);
    expect((await limits(`Bearer ${accessToken}`)).status).toBe(401);
  });

  test('records the user of each call', async () => {
    const accessToken = standIn.issueToken('seller@stand-in.example');
    standIn.resetLog();
    await limits(`Bearer ${accessToken}`);
    expect(standIn.requests).toHaveLength(1);
    expect(standIn.requests[0]).toMatchObject({
      method: 'GET',
      path: '/services/data/v62.0/limits',
      resource: 'limits',
      username: 'seller@stand-in.example',
      status: 200,
      apiCall: true,
    });
  });

  test('lists versions without a token', async () => {
    const response = await fetch(`${standIn.instanceUrl}/services/data`);
    const versions: any = await response.json();
    expect(versions.at(-1)).toEqual({
      label: "Winter '25",
      url: '/services/data/v62.0',
      version: '62.0',
    });
    expect(versions[0].version).toBe('31.0');
  });

  test('limits count the API calls made', async () => {
    const accessToken = `Bearer ${standIn.issueToken(INTEGRATION_USER)}`;
    const first = await limits(accessToken);
    const second = await limits(accessToken);
    expect(second.body.DailyApiRequests.Remaining).toBe(
      first.body.DailyApiRequests.Remaining - 1,
    );
    expect(second.body.DailyApiRequests.Max).toBe(100000);
  });

  test('stops calls past the daily limit', async () => {
    const limited = await startStandIn({ dailyApiRequestLimit: 1 });
    try {
      const headers = {
        Authorization: `Bearer ${limited.issueToken(INTEGRATION_USER)}`,
      };
      const url = `${limited.instanceUrl}/services/data/v62.0/limits`;
      expect((await fetch(url, { headers })).status).toBe(200);
      const blocked = await fetch(url, { headers });
      expect(blocked.status).toBe(403);
      expect(((await blocked.json()) as any)[0].errorCode).toBe(
        'REQUEST_LIMIT_EXCEEDED',
      );
    } finally {
      await limited.close();
    }
  });
});
