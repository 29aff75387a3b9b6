import { describe, expect, it } from '@jest/globals';
import { buildOpenApiDocument } from '../../middleware/src/http/openapi.js';

interface Document {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
  components: {
    schemas: Record<string, { properties?: Record<string, unknown> }>;
  };
}

const document = buildOpenApiDocument() as Document;

describe('OpenAPI document', () => {
  it.each([
    ['post', '/v1/registrations'],
    ['get', '/v1/registrations/{registrationId}'],
    ['post', '/v1/registrations/{registrationId}/approve'],
    ['post', '/v1/registrations/{registrationId}/reject'],
    ['get', '/v1/agenda'],
    ['get', '/v1/forecast'],
    ['get', '/v1/backtest'],
    ['get', '/v1/partners/scorecard'],
  ])('describes %s %s', (method, path) => {
    expect(document.paths[path]?.[method]).toBeDefined();
  });

  it('offers the agenda as JSON and markdown', () => {
    const ok = document.paths['/v1/agenda']!['get']!.responses['200'] as {
      content: Record<string, unknown>;
    };
    expect(Object.keys(ok.content)).toEqual([
      'application/json',
      'text/markdown',
    ]);
  });

  it('lists the 404 of an unknown report', () => {
    const responses = document.paths['/v1/reports/{name}']!['get']!.responses;
    expect(Object.keys(responses)).toContain('404');
  });

  it('adds the stage health fields to Deal', () => {
    const deal = document.components.schemas['Deal']!.properties!;
    for (const field of ['daysInStage', 'stalled', 'regressed']) {
      expect(deal[field]).toBeDefined();
    }
  });

  it('allows null in the forecast category a partner may get', () => {
    const stage = document.components.schemas['LifecycleStage']!.properties!;
    expect(stage['forecastCategory']).toMatchObject({
      type: ['string', 'null'],
      enum: expect.arrayContaining([null, 'Commit']),
    });
  });

  it('describes the registration currency code', () => {
    const registration =
      document.components.schemas['CreateRegistration']!.properties!;
    expect(registration['currencyIsoCode']).toEqual({
      type: 'string',
      description: expect.stringContaining('ISO 4217'),
      example: 'USD',
    });
  });

  it('names the lifecycle schemas', () => {
    for (const name of [
      'Registration',
      'Agenda',
      'Forecast',
      'Backtest',
      'Scorecards',
    ]) {
      expect(document.components.schemas[name]).toBeDefined();
    }
  });
});
