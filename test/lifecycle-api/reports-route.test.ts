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
      user: PEOPLE.admin,
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
      user: PEOPLE.admin,
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<svg');
  });

  it('answers 404 for an unknown report, naming the reports', async () => {
    const res = await app.call('GET', '/v1/reports/everything', {
      user: PEOPLE.admin,
    });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
    expect(res.body.fix).toContain('stage-history');
  });

  it('answers 400 for a format the report does not offer', async () => {
    const res = await app.call('GET', '/v1/reports/pipeline?format=svg', {
      user: PEOPLE.admin,
    });
    expect(res.status).toBe(400);
    expect(res.body.value).toBe('svg');
  });

  it.each([
    { how: '?format=ndjson', query: '?format=ndjson', accept: undefined },
    { how: 'Accept', query: '', accept: 'application/x-ndjson' },
  ])('serves NDJSON by $how', async ({ query, accept }) => {
    const res = await app.call('GET', `/v1/reports/pipeline${query}`, {
      user: PEOPLE.admin,
      headers: accept ? { accept } : {},
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/x-ndjson; charset=utf-8',
    );
    expect(res.headers.get('content-disposition')).toMatch(
      /filename="?cosell-pipeline-\d{4}-\d{2}-\d{2}\.ndjson"?/,
    );
    const lines = res.text.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(() =>
      lines.map((line) => JSON.parse(line) as unknown),
    ).not.toThrow();
  });

  it.each([
    { format: 'json', type: 'application/json; charset=utf-8' },
    { format: 'csv', type: 'text/csv; charset=utf-8' },
  ])('serves $format as $type', async ({ format, type }) => {
    const res = await app.call('GET', `/v1/reports/pipeline?format=${format}`, {
      user: PEOPLE.admin,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
  });

  it('serves SVG as image/svg+xml', async () => {
    const res = await app.call('GET', '/v1/reports/funnel?format=svg', {
      user: PEOPLE.admin,
    });
    expect(res.headers.get('content-type')).toBe(
      'image/svg+xml; charset=utf-8',
    );
  });

  it('echoes an unknown format in value', async () => {
    const res = await app.call('GET', '/v1/reports/pipeline?format=pdf', {
      user: PEOPLE.admin,
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.value).toBe('pdf');
    expect(res.body.issues[0].path).toBe('query.format');
  });

  it('answers 406 when Accept allows none of the formats', async () => {
    const res = await app.call('GET', '/v1/reports/pipeline', {
      user: PEOPLE.admin,
      headers: { accept: 'image/png' },
    });
    expect(res.status).toBe(406);
    expect(res.body.code).toBe('not_acceptable');
    expect(res.body.fix).toContain('csv, json, ndjson');
    expect(res.body.value).toBe('image/png');
  });

  it.each([
    ['partner sellers', PEOPLE.partnerSeller],
    ['vendor sellers', PEOPLE.vendorSeller],
  ])('keeps %s out', async (_who, user) => {
    const res = await app.call('GET', '/v1/reports/pipeline?format=json', {
      user,
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('not_report_viewer');
    expect(res.body.fix).toContain('Cosell_Channel_Manager');
  });

  it('names the range of quarters', async () => {
    const res = await app.call(
      'GET',
      '/v1/reports/forecast?format=json&quarters=9',
      { user: PEOPLE.admin },
    );
    expect(res.status).toBe(400);
    expect(res.body.issues[0].path).toBe('query.quarters');
    expect(res.body.issues[0].message).toBe('must be 1 to 8 quarters');
  });

  it.each([
    ['funnel', 'quarters=2', 'quarters', 'forecast'],
    ['pipeline', 'quarters=4', 'quarters', 'forecast'],
    ['forecast', 'expiringWithinDays=7', 'expiringWithinDays', 'agenda'],
    ['scorecard', 'expiringWithinDays=', 'expiringWithinDays', 'agenda'],
  ])('rejects %s with %s', async (report, parameters, parameter, reader) => {
    const res = await app.call(
      'GET',
      `/v1/reports/${report}?format=csv&${parameters}`,
      { user: PEOPLE.admin },
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.value).toBe(parameter);
    expect(res.body.detail).toBe(
      `The query parameter ${parameter} applies only to the ${reader} report, but the report requested is ${report}.`,
    );
    expect(res.body.fix).toBe(
      `Remove ${parameter}, or request /v1/reports/${reader}.`,
    );
  });

  it.each([
    ['forecast', 'quarters=2'],
    ['agenda', 'expiringWithinDays=7'],
  ])('accepts %s with %s', async (report, parameters) => {
    const res = await app.call(
      'GET',
      `/v1/reports/${report}?format=csv&${parameters}`,
      { user: PEOPLE.admin },
    );
    expect(res.status).toBe(200);
  });

  it.each(['bom=true', 'bom=false'])(
    'rejects %s without CSV',
    async (parameter) => {
      const res = await app.call(
        'GET',
        `/v1/reports/pipeline?format=json&${parameter}`,
        { user: PEOPLE.admin },
      );
      expect(res.status).toBe(400);
      expect(res.body.value).toBe('bom');
      expect(res.body.detail).toBe(
        'The query parameter bom applies to CSV only, but the format is json.',
      );
    },
  );

  it('rejects bom for a format from Accept', async () => {
    const res = await app.call('GET', '/v1/reports/pipeline?bom=true', {
      user: PEOPLE.admin,
      headers: { accept: 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.value).toBe('bom');
  });

  it('lets a channel manager export', async () => {
    const res = await app.call('GET', '/v1/reports/pipeline?format=json', {
      user: PEOPLE.channelManager,
    });
    expect(res.status).toBe(200);
  });
});
