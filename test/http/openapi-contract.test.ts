import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { createDemoDeal } from '../../scripts/demo/demo-deal.js';
import type { DemoDeal } from '../../scripts/demo/demo-deal.js';
import { demoId } from '../../middleware/src/demo/demo-people.js';
import { startTestApp } from './test-app.js';
import type { TestApp } from './test-app.js';

/** The part of the OpenAPI document that the checks below read. */
interface Document {
  paths: Record<
    string,
    Record<
      string,
      {
        responses: Record<
          string,
          {
            description?: string;
            content?: Record<string, { schema: unknown }>;
            headers?: Record<string, unknown>;
          }
        >;
      }
    >
  >;
}

let app: TestApp;
let document: Document;
let ajv: Ajv2020;
const admin = demoId('005', 11);
const partnerOfAnotherAccount = demoId('005', 110);

beforeAll(async () => {
  app = await startTestApp();
  document = (await (
    await fetch(`${app.url}/openapi.json`)
  ).json()) as Document;
  // The document's schemas carry OpenAPI keywords such as `example`, which a
  // strict JSON Schema validator rejects as unknown.
  ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema(document, 'openapi');
});

afterAll(async () => {
  await app.close();
});

/**
 * Returns the validation errors of a response body against the schema that
 * the document gives for `method template` and `status`, or throws when the
 * document lists no JSON schema for that status.
 */
function contractErrors(
  method: string,
  template: string,
  res: { status: number; body: unknown },
): string[] {
  const response = document.paths[template]?.[method]?.responses[res.status];
  const content = response?.content ?? {};
  const mediaType = Object.keys(content).find((type) => type.includes('json'));
  if (mediaType === undefined) {
    throw new Error(`${method} ${template} documents no JSON ${res.status}`);
  }
  const pointer = [
    'paths',
    template,
    method,
    'responses',
    String(res.status),
    'content',
    mediaType,
    'schema',
  ]
    .map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1'))
    .join('/');
  const validate = ajv.getSchema(`openapi#/${pointer}`);
  if (!validate) throw new Error(`no schema at ${pointer}`);
  if (validate(res.body)) return [];
  return (validate.errors ?? []).map(
    (error) => `${error.instancePath} ${error.message ?? ''}`,
  );
}

async function requestAdvance(deal: DemoDeal) {
  return app.call('POST', `/v1/deals/${deal.dealId}/stage-requests`, {
    user: deal.vendorSeller,
    body: { kind: 'Advance' },
  });
}

describe('responses match the OpenAPI document', () => {
  it('matches the deal reads of each viewer', async () => {
    const deal = await createDemoDeal(app.gateway);
    for (const user of [deal.vendorSeller, deal.partnerSeller, admin]) {
      for (const suffix of ['', '/evaluation', '/transitions']) {
        const res = await app.call('GET', `/v1/deals/${deal.dealId}${suffix}`, {
          user,
        });
        expect(res.status).toBe(200);
        expect(
          contractErrors('get', `/v1/deals/{dealId}${suffix}`, res),
        ).toEqual([]);
      }
    }
  });

  it('matches an admin read, whose viewer side is null', async () => {
    const deal = await createDemoDeal(app.gateway);
    const res = await app.call('GET', `/v1/deals/${deal.dealId}`, {
      user: admin,
    });
    expect(res.body.viewer.side).toBeNull();
    expect(contractErrors('get', '/v1/deals/{dealId}', res)).toEqual([]);
  });

  it('matches a new and a rejected request', async () => {
    const deal = await createDemoDeal(app.gateway);
    const created = await requestAdvance(deal);
    expect(created.status).toBe(201);
    expect(
      contractErrors('post', '/v1/deals/{dealId}/stage-requests', created),
    ).toEqual([]);

    const rejected = await app.call(
      'POST',
      `/v1/stage-requests/${created.body.id}/reject`,
      { user: deal.partnerSeller, body: { reason: 'Plan not signed yet' } },
    );
    expect(rejected.status).toBe(200);
    expect(rejected.body.waitingFor).toBeNull();
    expect(
      contractErrors('post', '/v1/stage-requests/{requestId}/reject', rejected),
    ).toEqual([]);

    const read = await app.call(
      'GET',
      `/v1/stage-requests/${created.body.id}`,
      {
        user: deal.vendorSeller,
      },
    );
    expect(
      contractErrors('get', '/v1/stage-requests/{requestId}', read),
    ).toEqual([]);
  });

  it('matches a confirmed move', async () => {
    const deal = await createDemoDeal(app.gateway);
    const created = await requestAdvance(deal);
    const confirmed = await app.call(
      'POST',
      `/v1/stage-requests/${created.body.id}/confirm`,
      { user: deal.partnerSeller, body: {} },
    );
    expect(confirmed.status).toBe(200);
    expect(
      contractErrors(
        'post',
        '/v1/stage-requests/{requestId}/confirm',
        confirmed,
      ),
    ).toEqual([]);
  });

  it('matches the problems of a missing and a hidden deal', async () => {
    const deal = await createDemoDeal(app.gateway);
    const hidden = await app.call('GET', `/v1/deals/${deal.dealId}`, {
      user: partnerOfAnotherAccount,
    });
    expect(hidden.status).toBe(404);
    expect(contractErrors('get', '/v1/deals/{dealId}', hidden)).toEqual([]);

    const invalid = await app.call('GET', '/v1/deals/not-an-id', {
      user: deal.vendorSeller,
    });
    expect(invalid.status).toBe(400);
    expect(contractErrors('get', '/v1/deals/{dealId}', invalid)).toEqual([]);
  });

  it('matches the stage models', async () => {
    const res = await app.call('GET', '/v1/stage-models', {
      user: demoId('005', 1),
    });
    expect(res.status).toBe(200);
    expect(contractErrors('get', '/v1/stage-models', res)).toEqual([]);
  });

  it('matches a 401 and documents its challenge', async () => {
    const res = await fetch(`${app.url}/v1/stage-models`);
    const body = await res.json();
    expect(res.status).toBe(401);
    expect(
      contractErrors('get', '/v1/stage-models', { status: 401, body }),
    ).toEqual([]);
    const documented =
      document.paths['/v1/stage-models']!['get']!.responses['401']!.headers;
    expect(Object.keys(documented ?? {})).toEqual(
      expect.arrayContaining(['WWW-Authenticate', 'X-Request-Id']),
    );
    expect(res.headers.get('www-authenticate')).not.toBeNull();
  });

  it('documents the problems every v1 call may get', () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!path.startsWith('/v1/')) continue;
      for (const operation of Object.values(operations)) {
        expect(Object.keys(operation.responses)).toEqual(
          expect.arrayContaining(['401', '429', '500', '502', '503']),
        );
      }
    }
  });

  it('documents the org failures of every v1 call', () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!path.startsWith('/v1/')) continue;
      for (const operation of Object.values(operations)) {
        const locked = operation.responses['409'];
        const unavailable = operation.responses['503'];
        expect(locked?.description).toContain('`record_locked`');
        expect(unavailable?.description).toContain(
          '`org_request_limit_exceeded`',
        );
        expect(unavailable?.description).toContain(
          '`org_authentication_failed`',
        );
        expect(Object.keys(locked?.headers ?? {})).toContain('Retry-After');
        expect(Object.keys(unavailable?.headers ?? {})).toContain(
          'Retry-After',
        );
      }
    }
  });

  it('documents Location on each 201', () => {
    const created = Object.values(document.paths)
      .flatMap((operations) => Object.values(operations))
      .map((operation) => operation.responses['201'])
      .filter((response) => response !== undefined);
    expect(created.length).toBeGreaterThanOrEqual(2);
    for (const response of created) {
      expect(Object.keys(response.headers ?? {})).toContain('Location');
    }
  });

  it('documents the headers of a replay', async () => {
    const deal = await createDemoDeal(app.gateway);
    const headers = { 'idempotency-key': `replay-${deal.dealId}` };
    const call = () =>
      app.call('POST', `/v1/deals/${deal.dealId}/stage-requests`, {
        user: deal.vendorSeller,
        body: { kind: 'Advance' },
        headers,
      });
    await call();
    const replay = await call();
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const documented =
      document.paths['/v1/deals/{dealId}/stage-requests']!['post']!.responses[
        '201'
      ]!.headers;
    expect(Object.keys(documented ?? {})).toContain('Idempotent-Replayed');
  });
});

describe('a rate-limited response', () => {
  let limited: TestApp;

  beforeAll(async () => {
    limited = await startTestApp({ app: { rateLimitPerMinute: 1 } });
  });

  afterAll(async () => {
    await limited.close();
  });

  it('matches the document with its headers', async () => {
    const user = demoId('005', 1);
    await limited.call('GET', '/v1/stage-models', { user });
    const res = await limited.call('GET', '/v1/stage-models', { user });
    expect(res.status).toBe(429);
    expect(contractErrors('get', '/v1/stage-models', res)).toEqual([]);
    const documented =
      document.paths['/v1/stage-models']!['get']!.responses['429']!.headers ??
      {};
    for (const name of ['Retry-After', 'RateLimit', 'RateLimit-Policy']) {
      expect(res.headers.get(name)).not.toBeNull();
      expect(Object.keys(documented)).toContain(name);
    }
  });
});
