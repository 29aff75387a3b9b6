import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { PEOPLE, startLifecycleApp } from './lifecycle-test-app.js';
import type { LifecycleTestApp } from './lifecycle-test-app.js';

let app: LifecycleTestApp;

beforeAll(async () => {
  app = await startLifecycleApp();
});

afterAll(async () => {
  await app.close();
});

describe('GET /v1/reports/{name}', () => {
  it('streams the stage history as a CSV download', async () => {
    const res = await app.call('GET', '/v1/reports/stage-history?format=csv', {
      user: PEOPLE.vendorSeller,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(
      /attachment; filename="?cosell-stage-history-\d{4}-\d{2}-\d{2}\.csv"?/,
    );
    const rows = parse(res.text, { columns: true }) as Array<
      Record<string, string>
    >;
    expect(rows.length).toBeGreaterThan(100);
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining(['Deal Id', 'To Stage']),
    );
  });

  it('negotiates markdown for the agenda from Accept', async () => {
    const res = await app.call('GET', '/v1/reports/agenda', {
      user: PEOPLE.channelManager,
      headers: { accept: 'text/markdown' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(res.text).toMatch(/^#/m);
  });

  it('serves the funnel as an SVG chart', async () => {
    const res = await app.call('GET', '/v1/reports/funnel?format=svg', {
      user: PEOPLE.vendorSeller,
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<svg');
  });

  it('answers 404 for an unknown report, naming the reports', async () => {
    const res = await app.call('GET', '/v1/reports/everything', {
      user: PEOPLE.vendorSeller,
    });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
    expect(res.body.fix).toContain('stage-history');
  });

  it('answers 400 for a format the report does not offer', async () => {
    const res = await app.call('GET', '/v1/reports/pipeline?format=svg', {
      user: PEOPLE.vendorSeller,
    });
    expect(res.status).toBe(400);
    expect(res.body.value).toBe('svg');
  });

  it('answers 406 when Accept allows none of the formats', async () => {
    const res = await app.call('GET', '/v1/reports/pipeline', {
      user: PEOPLE.vendorSeller,
      headers: { accept: 'image/png' },
    });
    expect(res.status).toBe(406);
  });

  it('keeps partner users out', async () => {
    const res = await app.call('GET', '/v1/reports/pipeline?format=json', {
      user: PEOPLE.partnerSeller,
    });
    expect(res.status).toBe(403);
  });
});
