import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { demoId } from '../../middleware/src/demo/demo-people.js';
import { createDemoDeal } from '../../scripts/demo/demo-deal.js';
import { startTestApp, TEST_TOKEN } from './test-app.js';
import type { TestApp } from './test-app.js';

let app: TestApp;
const CHANNEL_MANAGER = demoId('005', 10);
const lines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  app = await startTestApp({ logLines: lines });
});

afterAll(async () => {
  await app.close();
});

/** Waits for the request log line of `requestId`, written when the response finishes. */
async function requestLine(
  requestId: string,
): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const line = lines.find(
      (entry) =>
        entry['msg'] !== undefined &&
        (entry['req'] as { id?: unknown } | undefined)?.id === requestId &&
        entry['res'] !== undefined,
    );
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no request log line for ${requestId}`);
}

describe('request logging', () => {
  it('logs method, path, status and request id', async () => {
    const deal = await createDemoDeal(app.gateway);
    const res = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      {
        user: deal.vendorSeller,
        body: { kind: 'Advance', reason: 'body-text-not-logged' },
        headers: { 'x-request-id': 'log-test-1' },
      },
    );
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe('log-test-1');

    const line = await requestLine('log-test-1');
    expect(line['req']).toEqual({
      id: 'log-test-1',
      method: 'POST',
      url: `/v1/deals/${deal.dealId}/stage-requests`,
    });
    expect(line['res']).toEqual({ statusCode: 201 });
    expect(line['level']).toBe(30);
    expect(typeof line['responseTime']).toBe('number');
  });

  it('logs the path without its query string', async () => {
    const deal = await createDemoDeal(app.gateway);
    const res = await app.call(
      'GET',
      `/v1/deals/${deal.dealId}?note=secret-in-query`,
      {
        user: deal.vendorSeller,
        headers: { 'x-request-id': 'log-test-query' },
      },
    );
    expect(res.status).toBe(400);

    const line = await requestLine('log-test-query');
    expect(line['req']).toEqual({
      id: 'log-test-query',
      method: 'GET',
      url: `/v1/deals/${deal.dealId}`,
    });
    expect(JSON.stringify(line)).not.toContain('secret-in-query');
  });

  it('keeps tokens, headers and bodies out', async () => {
    const deal = await createDemoDeal(app.gateway);
    await app.call('POST', `/v1/deals/${deal.dealId}/stage-requests`, {
      user: deal.vendorSeller,
      body: { kind: 'Advance', reason: 'body-text-not-logged' },
      headers: { 'x-request-id': 'log-test-2' },
    });
    await requestLine('log-test-2');

    const text = lines.map((entry) => JSON.stringify(entry)).join('\n');
    expect(text).not.toContain(TEST_TOKEN);
    expect(text).not.toContain('secret-in-query');
    expect(text).not.toContain('body-text-not-logged');
    expect(text).not.toContain('x-cosell-acting-user');
    expect(text).not.toContain('remoteAddress');
  });

  it('logs only an absolute target path', async () => {
    const { port } = new URL(app.url);
    const target = `http://user:userinfo-secret@127.0.0.1:${port}/v1/stage-models?q=query-secret`;
    const status = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          [
            `GET ${target} HTTP/1.1`,
            `Host: 127.0.0.1:${port}`,
            `Authorization: Bearer ${TEST_TOKEN}`,
            'X-Cosell-Acting-User: 005000000000001AAA',
            'X-Request-Id: log-test-4',
            'Connection: close',
            '',
            '',
          ].join('\r\n'),
        );
      });
      let reply = '';
      socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
      socket.on('end', () => resolve(reply.split('\r\n')[0] ?? ''));
      socket.on('error', reject);
    });
    expect(status).toMatch(/^HTTP\/1\.1 \d{3}/);

    const line = await requestLine('log-test-4');
    expect((line['req'] as { url?: unknown }).url).toBe('/v1/stage-models');
    const text = JSON.stringify(line);
    expect(text).not.toContain('userinfo-secret');
    expect(text).not.toContain('query-secret');
  });

  it('logs a client error at warn', async () => {
    await app.call('POST', '/v1/deals/not-an-id/stage-requests', {
      user: '005000000000001AAA',
      body: { kind: 'Advance' },
      headers: { 'x-request-id': 'log-test-3' },
    });
    const line = await requestLine('log-test-3');
    expect(line['level']).toBe(40);
    expect(line['res']).toEqual({ statusCode: 400 });
    expect(line['problemCode']).toBe('invalid_id');
    expect(line['userId']).toBe('005000000000001AAA');
  });

  it('logs the problem code and user of a 403', async () => {
    const deal = await createDemoDeal(app.gateway);
    // A vendor seller off the deal; a partner user would get 404.
    const outsider = '005000000000003AAA';
    const res = await app.call('GET', `/v1/deals/${deal.dealId}`, {
      user: outsider,
      headers: { 'x-request-id': 'log-test-5' },
    });
    expect(res.status).toBe(403);
    const line = await requestLine('log-test-5');
    expect(line['level']).toBe(40);
    expect(line['problemCode']).toBe('not_on_deal');
    expect(line['userId']).toBe(outsider);
  });

  it('logs the problem code and user of a 500', async () => {
    const deal = await createDemoDeal(app.gateway);
    const read = app.ctx.gateway.readDealContext;
    app.ctx.gateway.readDealContext = () =>
      Promise.reject(new Error('store read broke'));
    try {
      const res = await app.call('GET', `/v1/deals/${deal.dealId}`, {
        user: deal.vendorSeller,
        headers: { 'x-request-id': 'log-test-6' },
      });
      expect(res.status).toBe(500);
    } finally {
      app.ctx.gateway.readDealContext = read;
    }
    const line = await requestLine('log-test-6');
    expect(line['level']).toBe(50);
    expect(line['res']).toEqual({ statusCode: 500 });
    expect(line['problemCode']).toBe('internal_error');
    expect(line['userId']).toBe(deal.vendorSeller);
  });

  it('logs no problem code on a success', async () => {
    const res = await app.call('GET', '/v1/stage-models', {
      user: '005000000000001AAA',
      headers: { 'x-request-id': 'log-test-7' },
    });
    expect(res.status).toBe(200);
    const line = await requestLine('log-test-7');
    expect(line['problemCode']).toBeUndefined();
    expect(line['userId']).toBe('005000000000001AAA');
  });

  it('logs no user when authentication fails', async () => {
    const res = await app.call('GET', '/v1/stage-models', {
      headers: {
        authorization: 'Bearer wrong-token-not-logged',
        'x-cosell-acting-user': '005000000000001AAA',
        'x-request-id': 'log-test-8',
      },
    });
    expect(res.status).toBe(401);
    const line = await requestLine('log-test-8');
    expect(line['problemCode']).toBe('unauthenticated');
    expect(line['userId']).toBeUndefined();
    expect(JSON.stringify(line)).not.toContain('wrong-token-not-logged');
  });

  it('keeps an override reason out of the log', async () => {
    const deal = await createDemoDeal(app.gateway);
    await app.gateway.upsertRecords('Opportunity', [
      { Id: deal.dealId, Closed_Lost_Reason__c: 'No Decision' },
    ]);
    const requested = await app.call(
      'POST',
      `/v1/deals/${deal.dealId}/stage-requests`,
      { user: deal.vendorSeller, body: { kind: 'Close Lost' } },
    );
    app.advanceClock(73 * 3_600_000);

    const res = await app.call(
      'POST',
      `/v1/stage-requests/${requested.body.id}/override`,
      {
        user: CHANNEL_MANAGER,
        body: { reason: 'override-reason-not-logged' },
        headers: { 'x-request-id': 'log-test-override' },
      },
    );

    expect(res.status).toBe(200);
    await requestLine('log-test-override');
    const override = lines.find(
      (entry) => entry['msg'] === 'one-sided Close Lost override applied',
    );
    expect(override?.['requestId']).toBe(requested.body.id);
    expect(JSON.stringify(lines)).not.toContain('override-reason-not-logged');
  });
});
