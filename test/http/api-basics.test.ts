import zlib, { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDemoDeal } from '../../scripts/demo/demo-deal.js';
import { demoId } from '../../middleware/src/demo/demo-people.js';
import { startTestApp, TEST_TOKEN } from './test-app.js';
import type { TestApp } from './test-app.js';

let app: TestApp;
const vendor = demoId('005', 1);
const partner = demoId('005', 100);

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app.close();
});

describe('authentication', () => {
  it('answers 401 without a bearer token', async () => {
    const res = await fetch(`${app.url}/v1/stage-models`, {
      headers: { 'x-cosell-acting-user': vendor },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="cosell-stages"',
    );
    expect((await res.json()).code).toBe('unauthenticated');
  });

  it('challenges a non-bearer Authorization with Bearer', async () => {
    const res = await app.call('GET', '/v1/stage-models', {
      user: vendor,
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="cosell-stages"',
    );
  });

  it('answers 401 for a wrong token', async () => {
    const res = await app.call('GET', '/v1/stage-models', {
      user: vendor,
      headers: { authorization: `Bearer ${TEST_TOKEN}x` },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="cosell-stages", error="invalid_token"',
    );
    expect(res.body.code).toBe('unauthenticated');
  });

  it('answers 400 without an acting user', async () => {
    const res = await app.call('GET', '/v1/stage-models');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
  });

  it('answers 400 invalid_id for a malformed acting user', async () => {
    const res = await app.call('GET', '/v1/stage-models', {
      user: '005-not-an-id',
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_id');
    expect(res.body.value).toBe('005-not-an-id');
  });

  it('answers 403 for an acting user the org does not have', async () => {
    const deal = await createDemoDeal(app.gateway);
    const res = await app.call('GET', `/v1/deals/${deal.dealId}`, {
      user: demoId('005', 999),
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('unknown_acting_user');
  });
});

describe('deals and explanations', () => {
  it('accepts a 15-character Id and answers with 18', async () => {
    const deal = await createDemoDeal(app.gateway);
    const res = await app.call('GET', `/v1/deals/${deal.dealId.slice(0, 15)}`, {
      user: vendor.slice(0, 15),
    });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(deal.dealId);
    expect(res.body.viewer.userId).toBe(vendor);
  });

  it('answers 400 invalid_id for a malformed deal Id', async () => {
    const res = await app.call('GET', '/v1/deals/006xyz', { user: vendor });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_id');
  });

  it.each(['/v1/deals/%', '/v1/deals/%E0%A4%A', '/v1/stage-requests/%ZZ'])(
    'answers 400 for the undecodable path %s',
    async (urlPath) => {
      const res = await app.call('GET', urlPath, { user: vendor });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain(
        'application/problem+json',
      );
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.detail).toContain('invalid percent-encoding');
    },
  );

  it('answers 404 for an unknown deal', async () => {
    const res = await app.call('GET', `/v1/deals/${demoId('006', 777777)}`, {
      user: vendor,
    });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('deal_not_found');
  });

  it('rejects an unread query parameter', async () => {
    const deal = await createDemoDeal(app.gateway);
    const paths = [
      `/v1/deals/${deal.dealId}?fields=Amount`,
      `/v1/deals/${deal.dealId}/transitions?limit=5`,
      '/v1/stage-models?model=Default',
    ];
    for (const path of paths) {
      const res = await app.call('GET', path, { user: vendor });
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.detail).toMatch(
        /unknown query parameter (fields|limit|model): remove it/,
      );
    }
  });

  it('echoes few and short unknown names', async () => {
    const names = Array.from(
      { length: 12 },
      (_, i) => `${String(i).padStart(2, '0')}${'k'.repeat(1000)}`,
    );
    const query = names.map((name) => `${name}=1`).join('&');

    const res = await app.call('GET', `/v1/stage-models?${query}`, {
      user: vendor,
    });

    expect(res.status).toBe(400);
    expect(res.body.value).toEqual(
      names.slice(0, 10).map((name) => name.slice(0, 100)),
    );
    expect(res.body.detail).toContain('and 2 more');
    expect(JSON.stringify(res.body).length).toBeLessThan(5000);
  });

  it('shows each criterion with its evidence', async () => {
    const deal = await createDemoDeal(app.gateway);
    const res = await app.call('GET', `/v1/deals/${deal.dealId}/evaluation`, {
      user: vendor,
    });
    expect(res.status).toBe(200);
    expect(res.body.stage.value).toBe('Registered');
    expect(res.body.nextStage.value).toBe('Jointly_Qualified');
    expect(res.body.criteria.length).toBeGreaterThanOrEqual(2);
    expect(res.body.allMet).toBe(true);
    for (const criterion of res.body.criteria) {
      expect(criterion.ruleText.length).toBeGreaterThan(0);
      expect(criterion.evidence.length).toBeGreaterThan(0);
    }
  });

  it('hides vendor-only fields from a partner user', async () => {
    const models = await app.call('GET', '/v1/stage-models', { user: vendor });
    const hidden: string[] = models.body.models.find(
      (m: any) => m.name === 'Default',
    ).vendorOnlyFields;
    expect(hidden.length).toBeGreaterThan(0);
    const deal = await createDemoDeal(app.gateway);
    const asVendor = await app.call('GET', `/v1/deals/${deal.dealId}`, {
      user: vendor,
    });
    const asPartner = await app.call('GET', `/v1/deals/${deal.dealId}`, {
      user: partner,
    });
    expect(asPartner.status).toBe(200);
    for (const field of hidden) {
      expect(Object.keys(asPartner.body.fields)).not.toContain(field);
    }
    expect(Object.keys(asVendor.body.fields)).toEqual(
      expect.arrayContaining(hidden),
    );
  });

  it('answers a partner of another account as for a missing deal', async () => {
    const deal = await createDemoDeal(app.gateway);
    for (const suffix of ['', '/evaluation', '/transitions']) {
      const res = await app.call('GET', `/v1/deals/${deal.dealId}${suffix}`, {
        user: demoId('005', 110),
      });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('deal_not_found');
    }
  });

  it('refuses the models to an unknown acting user', async () => {
    const res = await app.call('GET', '/v1/stage-models', {
      user: demoId('005', 999),
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('unknown_acting_user');
  });

  it('lists the models with their stages and criteria', async () => {
    const res = await app.call('GET', '/v1/stage-models', { user: vendor });
    const model = res.body.models.find((m: any) => m.name === 'Default');
    expect(model.stages.map((s: any) => s.value)).toEqual([
      'Registered',
      'Jointly_Qualified',
      'Validating',
      'Negotiating',
      'Closed_Attributed',
      'Closed_Lost',
    ]);
  });
});

describe('service endpoints', () => {
  it('serves health, readiness and the OpenAPI document', async () => {
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
    const doc = await (await fetch(`${app.url}/openapi.json`)).json();
    expect(doc.openapi).toBe('3.1.0');
    const post = doc.paths['/v1/deals/{dealId}/stage-requests'].post;
    const headerNames = post.parameters.map((p: any) => p.name);
    expect(headerNames).toEqual(
      expect.arrayContaining(['x-cosell-acting-user', 'idempotency-key']),
    );
    const actingUser = post.parameters.find(
      (p: any) => p.name === 'x-cosell-acting-user',
    );
    expect(actingUser.schema.example).toMatch(/^005/);
    expect(post.responses['422']).toBeDefined();
  });

  /** Posts a body as it is, for bytes that app.call would encode as JSON. */
  function postBytes(urlPath: string, body: RequestInit['body']) {
    return fetch(`${app.url}${urlPath}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TEST_TOKEN}`,
        'x-cosell-acting-user': vendor,
        'content-type': 'application/json; charset=utf-8',
      },
      body,
    });
  }

  it.each([
    ['{"kind":\n "Advance" "x"}', 'syntax error at line 2 column 12'],
    ['{"kind":\n "😀" "x"}', 'syntax error at line 2 column 6'],
    ['{"kind":', 'the body ends inside a JSON value'],
  ])('answers malformed JSON %j with 400 and where', async (body, where) => {
    const res = await postBytes(
      `/v1/deals/${demoId('006', 1)}/stage-requests`,
      body,
    );
    const problem = await res.json();
    expect(res.status).toBe(400);
    expect(problem.code).toBe('invalid_request');
    expect(problem.detail).toBe(
      `The request body is not valid JSON (${where}).`,
    );
    expect(problem.detail).not.toContain('Advance');
  });

  it('rejects a body that is not UTF-8', async () => {
    const body = Uint8Array.from([
      ...Buffer.from('{"reason":"Caf'),
      0xe9,
      ...Buffer.from(' Noir"}'),
    ]);
    const res = await postBytes(
      `/v1/stage-requests/${demoId('a0Y', 999)}/reject`,
      body,
    );
    const problem = await res.json();
    expect(res.status).toBe(400);
    expect(problem.code).toBe('invalid_request');
    expect(problem.detail).toBe(
      'The request body is not valid UTF-8: byte 15 is 0xE9, which does not form a UTF-8 character there.',
    );
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const res = await app.call('GET', '/v1/nothing-here', { user: vendor });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });

  it('answers a wrong method with 405', async () => {
    const requestId = demoId('a0B', 1);
    const res = await app.call(
      'GET',
      `/v1/stage-requests/${requestId}/confirm`,
      { user: vendor },
    );
    expect(res.status).toBe(405);
    expect(res.body.code).toBe('method_not_allowed');
    expect(res.body.value).toBe('GET');
    expect(res.body.detail).toBe(
      'GET is not allowed on /v1/stage-requests/{requestId}/confirm.',
    );
    expect(res.headers.get('allow')).toBe('POST');
  });

  it('allows GET and HEAD on reads', async () => {
    for (const path of ['/v1/agenda', '/V1/Stage-Models', '/healthz/']) {
      const res = await app.call('PUT', path, { user: vendor, body: {} });
      expect([path, res.status]).toEqual([path, 405]);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
    }
  });

  it('points an unknown request at what lists requests', async () => {
    const requestId = demoId('a0B', 999999);
    const res = await app.call('GET', `/v1/stage-requests/${requestId}`, {
      user: vendor,
    });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('request_not_found');
    expect(res.body.value).toBe(requestId);
    expect(res.body.fix).toContain('GET /v1/deals/{dealId}/transitions');
  });
});

describe('request bodies', () => {
  /** POSTs a raw body with only the headers given, beside auth and acting user. */
  function postRaw(
    urlPath: string,
    body: BodyInit | undefined,
    headers: Record<string, string> = {},
  ) {
    return fetch(`${app.url}${urlPath}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TEST_TOKEN}`,
        'x-cosell-acting-user': vendor,
        ...headers,
      },
      body,
    });
  }

  const createPath = () => `/v1/deals/${demoId('006', 1)}/stage-requests`;

  it.each([
    {
      sent: 'text/plain',
      body: '{"kind":"Advance"}',
      contentType: 'text/plain',
    },
    {
      sent: 'a form',
      body: 'kind=Advance',
      contentType: 'application/x-www-form-urlencoded',
    },
  ])('answers a body sent as $sent with 415', async ({ body, contentType }) => {
    const res = await postRaw(createPath(), body, {
      'content-type': contentType,
    });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    const problem = await res.json();
    expect(problem.code).toBe('unsupported_media_type');
    expect(problem.value).toBe(contentType);
    expect(problem.fix).toContain('Content-Type: application/json');
  });

  it.each([
    {
      sent: 'an unsupported charset',
      headers: { 'content-type': 'application/json; charset=koi8-x' } as Record<
        string,
        string
      >,
      value: 'koi8-x',
      fix: 'UTF-8',
    },
    {
      sent: 'an unsupported Content-Encoding',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'compress-xyz',
      },
      value: 'compress-xyz',
      fix: 'gzip',
    },
  ])('answers $sent with 415', async ({ headers, value, fix }) => {
    const res = await postRaw(createPath(), '{"kind":"Advance"}', headers);
    expect(res.status).toBe(415);
    const problem = await res.json();
    expect(problem.code).toBe('unsupported_media_type');
    expect(problem.value).toBe(value);
    expect(problem.fix).toContain(fix);
  });

  // Node.js 20's zlib has no zstd decoder, so express.json rejects zstd there.
  const itWithoutZstd = 'createZstdDecompress' in zlib ? it.skip : it;

  itWithoutZstd('names an unsupported zstd and the accepted ones', async () => {
    const res = await postRaw(createPath(), '{"kind":"Advance"}', {
      'content-type': 'application/json',
      'content-encoding': 'zstd',
    });
    expect(res.status).toBe(415);
    const problem = await res.json();
    expect(problem.code).toBe('unsupported_media_type');
    expect(problem.value).toBe('zstd');
    expect(problem.detail).toContain('Content-Encoding "zstd"');
    expect(problem.detail).toContain('gzip, deflate, br');
    expect(problem.fix).toContain('gzip, deflate, br');
  });

  it('names a list of encodings as one too many', async () => {
    const res = await postRaw(createPath(), '{"kind":"Advance"}', {
      'content-type': 'application/json',
      'content-encoding': 'gzip, br',
    });
    expect(res.status).toBe(415);
    const problem = await res.json();
    expect(problem.value).toBe('gzip, br');
    expect(problem.detail).toContain(
      'It decodes one encoding only, not a list of them.',
    );
  });

  it('answers corrupt gzip with 400', async () => {
    const res = await postRaw(createPath(), '{"kind":"Advance"}', {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(400);
    const problem = await res.json();
    expect(problem.code).toBe('invalid_request');
    expect(problem.detail).toContain('could not be decoded');
  });

  const json = '{"kind":"Advance"}';
  const compressed = {
    gzip: gzipSync(json),
    deflate: deflateSync(json),
    br: brotliCompressSync(json),
  };
  const brokenBodies = (['gzip', 'deflate', 'br'] as const).flatMap(
    (encoding) => [
      { encoding, sent: 'bytes that are not', body: Buffer.from('xxxx') },
      {
        encoding,
        sent: 'a cut',
        body: compressed[encoding].subarray(0, 6),
      },
    ],
  );

  it.each(brokenBodies)(
    'answers $sent $encoding body with 400',
    async ({ encoding, body }) => {
      const res = await postRaw(createPath(), body, {
        'content-type': 'application/json',
        'content-encoding': encoding,
      });
      expect(res.status).toBe(400);
      const problem = await res.json();
      expect(problem.code).toBe('invalid_request');
      expect(problem.detail).toContain(`Content-Encoding ${encoding}`);
      expect(problem.value).toBe(encoding);
    },
  );

  it.each(Object.entries(compressed))(
    'reads a %s body',
    async (encoding, body) => {
      const deal = await createDemoDeal(app.gateway);
      const res = await fetch(
        `${app.url}/v1/deals/${deal.dealId}/stage-requests`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${TEST_TOKEN}`,
            'x-cosell-acting-user': deal.vendorSeller,
            'content-type': 'application/json',
            'content-encoding': encoding,
          },
          body,
        },
      );
      expect(res.status).toBe(201);
    },
  );

  it('answers a body without Content-Type with 415', async () => {
    const body = new TextEncoder().encode('{"kind":"Advance"}');
    const res = await postRaw(createPath(), body);
    expect(res.status).toBe(415);
    const problem = await res.json();
    expect(problem.code).toBe('unsupported_media_type');
    expect(problem.value).toBeNull();
  });

  it('accepts a confirm without a body', async () => {
    const deal = await createDemoDeal(app.gateway);
    const created = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      { user: deal.vendorSeller, body: { kind: 'Advance' } },
    );
    expect(created.status).toBe(201);
    const res = await fetch(
      `${app.url}/v1/stage-requests/${created.body.id}/confirm`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TEST_TOKEN}`,
          'x-cosell-acting-user': deal.partnerSeller,
        },
      },
    );
    expect(res.status).toBe(200);
    expect((await res.json()).request.status).toBe('Applied');
  });

  it('answers a JSON null body as not an object', async () => {
    const res = await postRaw(createPath(), 'null', {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(400);
    const problem = await res.json();
    expect(problem.code).toBe('invalid_request');
    expect(problem.detail).toBe(
      'The request body is JSON null, but it must be a JSON object.',
    );
    expect(problem.value).toBeNull();
  });

  it('rejects a reason over 1000 characters', async () => {
    const requestId = demoId('a0B', 1);
    const path = `/v1/stage-requests/${requestId}/reject`;
    const tooLong = await app.call('POST', path, {
      user: vendor,
      body: { reason: 'x'.repeat(1001) },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.code).toBe('invalid_request');
    expect(tooLong.body.issues[0].path).toBe('body.reason');
    const longest = await app.call('POST', path, {
      user: vendor,
      body: { reason: ` ${'x'.repeat(1000)} ` },
    });
    expect(longest.status).not.toBe(400);
  });

  it('answers a body over 100 kB with 413', async () => {
    const body = JSON.stringify({
      kind: 'Advance',
      reason: 'x'.repeat(110_000),
    });
    const res = await postRaw(createPath(), body, {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(413);
    const problem = await res.json();
    expect(problem.code).toBe('invalid_request');
    expect(problem.title).toBe('Content Too Large');
  });
});

describe('problem values', () => {
  const createPath = () => `/v1/deals/${demoId('006', 1)}/stage-requests`;

  it.each([
    {
      case: 'an invalid enum value',
      body: { kind: 'Sideways' },
      value: 'Sideways',
      path: 'body.kind',
    },
    { case: 'a missing field', body: {}, value: null, path: 'body.kind' },
    { case: 'a wrong type', body: { kind: 7 }, value: 7, path: 'body.kind' },
    {
      case: 'an unknown key',
      body: { kind: 'Advance', extra: 1 },
      value: ['extra'],
      path: 'body',
    },
  ])('echoes $case', async ({ body, value, path }) => {
    const res = await app.call('POST', createPath(), { user: vendor, body });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.value).toEqual(value);
    expect(res.body.issues[0].path).toBe(path);
  });

  it('cuts a long rejected value to 100 characters', async () => {
    const toStage = 'S'.repeat(300);
    const res = await app.call('POST', createPath(), {
      user: vendor,
      body: { kind: 'Advance', toStage },
    });
    expect(res.status).toBe(400);
    expect(res.body.issues[0].path).toBe('body.toStage');
    expect(res.body.value).toBe('S'.repeat(100));
  });

  it('echoes an invalid Idempotency-Key', async () => {
    const deal = await createDemoDeal(app.gateway);
    const res = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      {
        user: deal.vendorSeller,
        body: { kind: 'Advance' },
        headers: { 'idempotency-key': 'has a space' },
      },
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.value).toBe('has a space');
  });

  it('gives the length of a long Idempotency-Key', async () => {
    const deal = await createDemoDeal(app.gateway);
    const res = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      {
        user: deal.vendorSeller,
        body: { kind: 'Advance' },
        headers: { 'idempotency-key': 'k'.repeat(101) },
      },
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.detail).toContain(
      'it has 101 characters, and the maximum is 100',
    );
    expect(res.body.detail).toContain(
      'The value is shortened to its first 100 of 101 bytes.',
    );
    expect(res.body.value).toBe('k'.repeat(100));
  });

  it('echoes an invalid path Id', async () => {
    const res = await app.call('GET', '/v1/deals/006xyz', { user: vendor });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_id');
    expect(res.body.value).toBe('006xyz');
    expect(res.body.issues[0].path).toBe('params.dealId');
  });
});
