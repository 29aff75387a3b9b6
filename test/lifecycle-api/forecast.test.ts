import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { Decimal } from 'decimal.js';
import { PEOPLE, startLifecycleApp } from './lifecycle-test-app.js';
import type { LifecycleTestApp } from './lifecycle-test-app.js';

const NOW = '2026-03-10T05:10:00.000Z';
const RATES: Record<string, string> = { USD: '1', EUR: '1.08', GBP: '1.27' };

let calendar: LifecycleTestApp;
let aprilEnding: LifecycleTestApp;
let aprilStarting: LifecycleTestApp;

beforeAll(async () => {
  calendar = await startLifecycleApp({ start: NOW });
  aprilEnding = await startLifecycleApp({
    start: NOW,
    settings: { fiscal: { startMonth: 4, yearBasedOn: 'ending' } },
  });
  aprilStarting = await startLifecycleApp({
    start: NOW,
    settings: { fiscal: { startMonth: 4, yearBasedOn: 'starting' } },
  });
});

afterAll(async () => {
  await calendar.close();
  await aprilEnding.close();
  await aprilStarting.close();
});

function forecast(
  app: LifecycleTestApp,
  query = '',
  user = PEOPLE.channelManager,
) {
  return app.call('GET', `/v1/forecast${query}`, { user });
}

/** Won amount with a close date in [start, end], in USD, straight from the store. */
async function wonBetween(app: LifecycleTestApp, start: string, end: string) {
  const won = await app.gateway.queryRecords('Opportunity', {
    where: { IsWon: true },
    exactDecimals: true,
  });
  return won
    .filter((deal) => {
      const date = String(deal['CloseDate']);
      return date >= start && date <= end;
    })
    .reduce(
      (sum, deal) =>
        sum.plus(
          new Decimal(String(deal['Amount']))
            .times(RATES[String(deal['CurrencyIsoCode'])]!)
            .toDecimalPlaces(2, Decimal.ROUND_HALF_UP),
        ),
      new Decimal(0),
    )
    .toFixed(2);
}

describe('forecast periods', () => {
  it('forecasts the current calendar quarter by default', async () => {
    const res = await forecast(calendar);
    expect(res.status).toBe(200);
    expect(res.body.period).toEqual({
      label: 'FY2026-Q1',
      fiscalYear: 2026,
      quarter: 1,
      start: '2026-01-01',
      end: '2026-03-31',
    });
    expect(res.body.asOf).toBe(NOW);
    expect(res.body.currency).toBe('USD');
    expect(res.body.dealCount).toBeGreaterThan(0);
  });

  it.each(['FY2024-Q3', 'FY2025-Q2', 'FY2025-Q4', 'FY2026-Q1'])(
    'reports the won amount of %s as the store has it',
    async (period) => {
      const res = await forecast(calendar, `?period=${period}`);
      expect(res.status).toBe(200);
      const { start, end } = res.body.period;
      expect(res.body.wonAmount).toBe(await wonBetween(calendar, start, end));
      expect(Number(res.body.wonAmount)).toBeGreaterThan(0);
    },
  );

  it('puts the expected amount inside its band', async () => {
    const res = await forecast(calendar, '?period=FY2026-Q2');
    const { expected, band, wonAmount } = res.body;
    expect(Number(band.p10)).toBeLessThanOrEqual(Number(expected));
    expect(Number(band.p90)).toBeGreaterThanOrEqual(Number(expected));
    expect(Number(expected)).toBeGreaterThanOrEqual(Number(wonAmount));
    expect(res.body.calibration.movesUsed).toBeGreaterThan(300);
  });

  it('forecasts a whole fiscal year', async () => {
    const res = await forecast(calendar, '?period=FY2025');
    expect(res.body.period.quarter).toBeNull();
    expect(res.body.period.start).toBe('2025-01-01');
    expect(res.body.period.end).toBe('2025-12-31');
  });
});

describe('fiscal settings', () => {
  it('names the April year after its end month', async () => {
    const res = await forecast(aprilEnding);
    expect(res.body.period.label).toBe('FY2026-Q4');
    expect(res.body.period.start).toBe('2026-01-01');
    const next = await forecast(aprilEnding, '?period=FY2027-Q1');
    expect(next.body.period.start).toBe('2026-04-01');
    expect(next.body.period.end).toBe('2026-06-30');
  });

  it('names the April year after its start month', async () => {
    const res = await forecast(aprilStarting);
    expect(res.body.period.label).toBe('FY2025-Q4');
    const next = await forecast(aprilStarting, '?period=FY2026-Q1');
    expect(next.body.period.start).toBe('2026-04-01');
  });

  it('gives the same numbers for one quarter under both names', async () => {
    const ending = await forecast(aprilEnding, '?period=FY2027-Q1');
    const starting = await forecast(aprilStarting, '?period=FY2026-Q1');
    expect(ending.body.expected).toBe(starting.body.expected);
    expect(ending.body.dealCount).toBe(starting.body.dealCount);
  });

  it('spans April to March for an April fiscal year', async () => {
    const res = await forecast(aprilEnding, '?period=FY2026');
    expect(res.body.period.start).toBe('2025-04-01');
    expect(res.body.period.end).toBe('2026-03-31');
    expect(res.body.wonAmount).toBe(
      await wonBetween(aprilEnding, '2025-04-01', '2026-03-31'),
    );
  });
});

describe('forecast access and input', () => {
  it('refuses a partner user with 403', async () => {
    const res = await forecast(calendar, '', PEOPLE.partnerSeller);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('vendor_only');
  });

  it.each(['2026-Q1', 'FY0000-Q1', 'FY1899'])(
    'rejects the period %s',
    async (period) => {
      const res = await forecast(calendar, `?period=${period}`);
      expect(res.status).toBe(400);
      expect(res.body.issues[0].path).toBe('query.period');
      expect(res.body.issues[0].message).toContain('from FY1900 on');
    },
  );
});

describe('currencies without a rate', () => {
  it('names the currency and the variable to set', async () => {
    const app = await startLifecycleApp({
      start: NOW,
      settings: { currency: { corporate: 'USD', rates: { GBP: '1.27' } } },
    });
    try {
      const res = await forecast(app, '?period=FY2025');
      expect(res.status).toBe(500);
      expect(res.body.code).toBe('currency_rate_missing');
      expect(res.body.value).toBe('EUR');
      expect(res.body.fix).toContain('COSELL_CURRENCY_RATES');
    } finally {
      await app.close();
    }
  });
});

/** Waits for the request log line of `requestId`, written when the response finishes. */
async function requestLine(
  lines: Array<Record<string, unknown>>,
  requestId: string,
): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const line = lines.find(
      (entry) =>
        (entry['req'] as { id?: unknown } | undefined)?.id === requestId &&
        entry['res'] !== undefined,
    );
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no request log line for ${requestId}`);
}

describe('failed forecast logging', () => {
  it('logs the forecast and its report alike', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const app = await startLifecycleApp({
      start: NOW,
      settings: { currency: { corporate: 'USD', rates: { GBP: '1.27' } } },
      logLines: lines,
    });
    try {
      const forecastRes = await app.call('GET', '/v1/forecast', {
        user: PEOPLE.channelManager,
        headers: { 'x-request-id': 'forecast-failed' },
      });
      const reportRes = await app.call(
        'GET',
        '/v1/reports/forecast?format=csv',
        {
          user: PEOPLE.channelManager,
          headers: { 'x-request-id': 'report-failed' },
        },
      );
      expect(forecastRes.status).toBe(500);
      expect(reportRes.status).toBe(500);
      expect(reportRes.body.code).toBe('currency_rate_missing');
      for (const id of ['forecast-failed', 'report-failed']) {
        const line = await requestLine(lines, id);
        expect(line['level']).toBe(50);
        const requestLines = lines.filter(
          (entry) => (entry['req'] as { id?: unknown } | undefined)?.id === id,
        );
        expect(requestLines).toHaveLength(1);
      }
    } finally {
      await app.close();
    }
  });
});

describe('amounts beyond 2^53 minor units', () => {
  const LARGE = '99999999999999.99';
  let app: LifecycleTestApp;
  let dealId: string;
  let before: Record<string, any>;

  beforeAll(async () => {
    app = await startLifecycleApp({ start: NOW });
    const registration = await app.call('POST', '/v1/registrations', {
      user: PEOPLE.partnerSeller,
      body: {
        customerCompany: 'Largesse Amounts Limited',
        customerCountry: 'United Kingdom',
        productLine: 'Platform',
        amount: '9999999999999.99',
        currencyIsoCode: 'GBP',
        expectedCloseDate: '2026-03-30',
      },
    });
    expect(registration.status).toBe(201);
    const approval = await app.call(
      'POST',
      `/v1/registrations/${registration.body.id}/approve`,
      { user: PEOPLE.channelManager, body: {} },
    );
    expect(approval.status).toBe(200);
    dealId = approval.body.deal.id;
    before = (await forecast(app, '?period=FY2026-Q1')).body;

    // A store written before the amount limit, or a Salesforce org, which
    // allows 16 digits before the point, can still contain such amounts.
    const wonDeals = await app.gateway.queryRecords('Opportunity', {
      where: { IsWon: true },
    });
    const won = wonDeals.find((deal) => {
      const date = String(deal['CloseDate']);
      return date >= '2026-01-01' && date <= '2026-03-31';
    })!;
    const db = new Database(app.dbPath);
    try {
      const update = db.prepare(
        'UPDATE "Opportunity" SET "Amount" = ?, "CurrencyIsoCode" = ? WHERE "Id" = ?',
      );
      update.run(LARGE, 'GBP', dealId);
      update.run(LARGE, 'USD', won.Id);
    } finally {
      db.close();
    }
  });

  afterAll(async () => {
    await app.close();
  });

  it('forecasts an open deal exactly', async () => {
    expect(before.dealCount).toBeGreaterThan(0);
    const res = await forecast(app, '?period=FY2026-Q1');
    expect(res.status).toBe(200);
    expect(res.body.dealCount).toBe(before.dealCount);
    // 99999999999999.99 GBP is 126999999999999.99 USD, and the registered
    // 9999999999999.99 GBP was 12699999999999.99 USD.
    expect(
      new Decimal(res.body.openAmount).minus(before.openAmount).toFixed(2),
    ).toBe('114300000000000.00');
  });

  it('adds the won amount to the band exactly', async () => {
    const res = await forecast(app, '?period=FY2026-Q1');
    expect(res.status).toBe(200);
    expect(res.body.wonAmount).toBe(
      await wonBetween(app, '2026-01-01', '2026-03-31'),
    );
    expect(new Decimal(res.body.wonAmount).gt(LARGE)).toBe(true);
    expect(new Decimal(res.body.band.p10).gte(res.body.wonAmount)).toBe(true);
    expect(new Decimal(res.body.band.p90).gte(res.body.band.p10)).toBe(true);
  });

  it('exports the forecast report', async () => {
    const res = await app.call('GET', '/v1/reports/forecast?format=json', {
      user: PEOPLE.channelManager,
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('"FY2026-Q1"');
  });
});
