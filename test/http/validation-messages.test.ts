import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { demoId } from '../../middleware/src/demo/demo-people.js';
import { createDemoDeal } from '../../scripts/demo/demo-deal.js';
import { startTestApp, TEST_TOKEN } from './test-app.js';
import type { TestApp } from './test-app.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});

afterAll(async () => {
  await app.close();
});

/** A UTF-16 surrogate without its other half. */
const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** An Id of the right form that names no record; validation runs before lookup. */
const unknownRequest = demoId('a0Y', 999);
const vendorSeller = demoId('005', 1);

function reject(body: unknown) {
  return app.call('POST', `/v1/stage-requests/${unknownRequest}/reject`, {
    user: vendorSeller,
    body,
  });
}

describe('validation messages', () => {
  it('names a missing reason and its length', async () => {
    const res = await reject({});
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.value).toBeNull();
    expect(res.body.issues).toEqual([
      {
        path: 'body.reason',
        code: 'invalid_type',
        message: 'reason is missing: send a reason of 1 to 1000 characters',
      },
    ]);
    expect(res.body.detail).not.toContain('Invalid input');
  });

  it('names a blank reason', async () => {
    const res = await reject({ reason: '   ' });
    expect(res.status).toBe(400);
    expect(res.body.issues[0].message).toBe(
      'reason is blank: send a reason of 1 to 1000 characters',
    );
    expect(res.body.detail).not.toContain('Too small');
  });

  it('echoes a blank reason as sent', async () => {
    const res = await reject({ reason: '   ' });
    expect(res.status).toBe(400);
    expect(res.body.value).toBe('   ');
  });

  it('cuts a long value between surrogates', async () => {
    const reason = `a${'\u{1F600}'.repeat(501)}`;
    const res = await reject({ reason });
    expect(res.status).toBe(400);
    expect(res.body.issues[0].path).toBe('body.reason');
    // The 100th UTF-16 code unit is the first half of an emoji, so the cut is at 99.
    expect(res.body.value).toBe(`a${'\u{1F600}'.repeat(49)}`);
    expect(res.body.value).not.toMatch(LONE_SURROGATE);
    expect(res.body.detail).toContain(
      'The value is shortened to its first 99 of 1003 UTF-16 code units.',
    );
  });

  it('says nothing of shortening a whole value', async () => {
    const res = await reject({ reason: 42 });
    expect(res.status).toBe(400);
    expect(res.body.detail).not.toContain('shortened');
  });

  it('names a reason that is too long', async () => {
    const res = await reject({ reason: 'x'.repeat(1001) });
    expect(res.status).toBe(400);
    expect(res.body.issues[0].message).toBe(
      'reason is too long: send a reason of 1 to 1000 characters',
    );
  });

  it('names a reason of the wrong type', async () => {
    const res = await reject({ reason: 42 });
    expect(res.status).toBe(400);
    expect(res.body.value).toBe(42);
    expect(res.body.issues[0].message).toBe(
      'reason is a number: send a reason of 1 to 1000 characters',
    );
  });

  it('lists the accepted fields for an unknown one', async () => {
    const res = await reject({ reason: 'Budget cut', note: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.value).toEqual(['note']);
    expect(res.body.issues[0].message).toBe(
      'unknown field note: remove it; the accepted fields are reason',
    );
  });

  it('lists the kinds for an unknown kind', async () => {
    const deal = await createDemoDeal(app.gateway);
    const res = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      { user: deal.vendorSeller, body: { kind: 'Sideways' } },
    );
    expect(res.status).toBe(400);
    expect(res.body.value).toBe('Sideways');
    expect(res.body.issues[0].message).toBe(
      'kind is not an accepted value: send one of "Advance", "Back", "Close Lost"',
    );
  });

  it('names a missing kind as missing', async () => {
    const deal = await createDemoDeal(app.gateway);
    const res = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      { user: deal.vendorSeller, body: { reason: 'Budget approved' } },
    );
    expect(res.status).toBe(400);
    expect(res.body.value).toBeNull();
    expect(res.body.issues[0].path).toBe('body.kind');
    expect(res.body.issues[0].message).toBe(
      'kind is missing: send one of "Advance", "Back", "Close Lost"',
    );
  });

  it('answers a Back request without toStage with 400', async () => {
    const deal = await createDemoDeal(app.gateway);
    const res = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      { user: deal.vendorSeller, body: { kind: 'Back' } },
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.issues).toHaveLength(1);
    expect(res.body.issues[0].path).toBe('body.toStage');
    expect(res.body.issues[0].message).toContain('toStage is missing');
  });

  it('names the suffix of an 18-character Id', async () => {
    const base = unknownRequest.slice(0, 15);
    const res = await app.call('GET', `/v1/stage-requests/${base}ZZZ`, {
      user: vendorSeller,
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_id');
    expect(res.body.issues[0].message).toContain(
      `its last three characters must be ${unknownRequest.slice(15)}, the check of the letter case of ${base}`,
    );
  });

  it('names the suffix of an acting user Id', async () => {
    const res = await app.call('GET', `/v1/stage-requests/${unknownRequest}`, {
      user: `${vendorSeller.slice(0, 15)}ZZZ`,
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_id');
    expect(res.body.detail).toContain(
      `its last three characters must be ${vendorSeller.slice(15)}`,
    );
  });

  it('calls invalid path parameters the request path', async () => {
    const res = await app.call('GET', '/v1/deals/not-an-id', {
      user: vendorSeller,
    });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/^The request path is invalid: /);
  });
});

describe('header values outside printable ASCII', () => {
  /**
   * Sends a reject with these headers over the defaults, which node:http
   * writes as UTF-8.
   */
  function postWithHeaders(
    headers: Record<string, string>,
  ): Promise<{ status: number; body: any }> {
    const url = new URL(
      `${app.url}/v1/stage-requests/${unknownRequest}/reject`,
    );
    const payload = JSON.stringify({ reason: 'Budget cut' });
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        url,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${TEST_TOKEN}`,
            'x-cosell-acting-user': vendorSeller,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  it('escapes the bytes of a UTF-8 key', async () => {
    const res = await postWithHeaders({ 'idempotency-key': 'é' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.value).toBe('\\xC3\\xA9');
    expect(res.body.detail).toContain('printable ASCII');
    expect(res.body.detail).not.toContain('Ã');
    expect(res.body.fix).toContain('printable ASCII');
  });

  it('escapes the bytes of an acting user', async () => {
    const res = await postWithHeaders({
      'x-cosell-acting-user': '005000000000010éAA',
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_id');
    expect(res.body.value).toBe('005000000000010\\xC3\\xA9AA');
    expect(res.body.detail).toContain('"005000000000010\\xC3\\xA9AA"');
    expect(res.body.detail).not.toContain('Ã');
  });

  it('escapes the bytes of a Content-Type', async () => {
    const res = await postWithHeaders({ 'content-type': 'text/é' });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('unsupported_media_type');
    expect(res.body.value).toBe('text/\\xC3\\xA9');
    expect(res.body.detail).toContain('text/\\xC3\\xA9');
    expect(res.body.detail).not.toContain('Ã');
  });
});
