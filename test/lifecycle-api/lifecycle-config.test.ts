import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadBaseConfig } from '../../middleware/src/config.js';
import { startServer } from '../../middleware/src/server.js';
import { PEOPLE, startLifecycleApp } from './lifecycle-test-app.js';

/** A year after the current one, so that registration close dates stay in the future. */
const NEXT_YEAR = new Date().getUTCFullYear() + 1;

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadBaseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`loadBaseConfig accepted ${JSON.stringify(env)}`);
}

describe('lifecycle settings', () => {
  it('defaults to a January fiscal year in USD without rates', () => {
    const config = loadBaseConfig({});
    expect(config.COSELL_FISCAL_START_MONTH).toBe(1);
    expect(config.COSELL_FISCAL_YEAR_NAMED_BY).toBe('start');
    expect(config.COSELL_CORPORATE_CURRENCY).toBe('USD');
    expect(config.COSELL_CURRENCY_RATES).toBeUndefined();
  });

  it('reads a fiscal calendar and exchange rates', () => {
    const config = loadBaseConfig({
      COSELL_FISCAL_START_MONTH: '4',
      COSELL_FISCAL_YEAR_NAMED_BY: 'end',
      COSELL_CORPORATE_CURRENCY: 'EUR',
      COSELL_CURRENCY_RATES: ' USD=0.92, GBP=1.17 ',
    });
    expect(config.COSELL_FISCAL_START_MONTH).toBe(4);
    expect(config.COSELL_FISCAL_YEAR_NAMED_BY).toBe('end');
    expect(config.COSELL_CORPORATE_CURRENCY).toBe('EUR');
    expect(config.COSELL_CURRENCY_RATES).toEqual({ USD: '0.92', GBP: '1.17' });
  });

  it.each([
    [
      'COSELL_FISCAL_START_MONTH',
      '13',
      'is too large; the largest accepted value is 12 (December)',
    ],
    ['COSELL_FISCAL_START_MONTH', '0', 'month number from 1 (January) to 12'],
    ['COSELL_FISCAL_START_MONTH', '4.5', 'month number from 1 (January) to 12'],
    ['COSELL_FISCAL_START_MONTH', 'April', 'month number'],
    ['COSELL_FISCAL_YEAR_NAMED_BY', 'middle', 'must be start'],
    ['COSELL_CORPORATE_CURRENCY', 'usd', 'three-letter ISO 4217 code'],
    ['COSELL_CORPORATE_CURRENCY', 'XYZ', 'current three-letter ISO 4217 code'],
    ['COSELL_CORPORATE_CURRENCY', 'DEM', 'current three-letter ISO 4217 code'],
    [
      'COSELL_CURRENCY_RATES',
      'EUR:1.08',
      'does not start with a three-letter currency code',
    ],
    [
      'COSELL_CURRENCY_RATES',
      'EUR=abc',
      'the rate of EUR is not a decimal number',
    ],
    [
      'COSELL_CURRENCY_RATES',
      'EUR=1.08,GBP=',
      'the rate of GBP is not a decimal number',
    ],
    ['COSELL_CURRENCY_RATES', 'EUR=0', 'the rate of EUR is 0'],
    ['COSELL_CURRENCY_RATES', 'EUR=1.08,EUR=1.1', 'EUR is listed twice'],
    [
      'COSELL_CURRENCY_RATES',
      'USD=1,EUR=1.08',
      'names USD, the corporate currency',
    ],
  ])('rejects %s=%s naming the variable', (name, value, message) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.startsWith(`${name}=${JSON.stringify(value)}: `)).toBe(
      true,
    );
    expect(problems[0]).toContain(message);
  });

  it.each(['JPY', 'CHF', 'INR'])('accepts %s as corporate currency', (code) => {
    const config = loadBaseConfig({ COSELL_CORPORATE_CURRENCY: code });
    expect(config.COSELL_CORPORATE_CURRENCY).toBe(code);
  });

  it('lists every bad variable at once', () => {
    const problems = problemsOf({
      COSELL_FISCAL_START_MONTH: '13',
      COSELL_CORPORATE_CURRENCY: 'dollars',
    });
    expect(problems.map((problem) => problem.split('=')[0])).toEqual([
      'COSELL_FISCAL_START_MONTH',
      'COSELL_CORPORATE_CURRENCY',
    ]);
  });

  it.each([
    ['blank', '   ', 'must be an Opportunity StageName value'],
    ['long', 'x'.repeat(256), 'at most 255 characters'],
  ])('rejects a %s COSELL_NEW_DEAL_STAGE', (_label, value, message) => {
    const problems = problemsOf({ COSELL_NEW_DEAL_STAGE: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('COSELL_NEW_DEAL_STAGE=');
    expect(problems[0]).toContain(message);
  });

  it('defaults the new deal StageName to Prospecting', () => {
    expect(loadBaseConfig({}).COSELL_NEW_DEAL_STAGE).toBe('Prospecting');
  });

  it('stops a start on a StageName the schema lacks', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cosell-stage-name-'));
    const dbPath = path.join(dir, 'cosell.db');
    try {
      await expect(
        startServer({
          PORT: '0',
          COSELL_DB_PATH: dbPath,
          COSELL_API_TOKEN: 't'.repeat(40),
          COSELL_LOG_LEVEL: 'silent',
          COSELL_NEW_DEAL_STAGE: 'Discovery',
        }),
      ).rejects.toThrow(
        /COSELL_NEW_DEAL_STAGE="Discovery": not a StageName value of the org; use one of Prospecting, .*Closed Won/,
      );
      // The failed start removes the store file it created.
      expect(existsSync(dbPath)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creates an approved deal at the configured StageName', async () => {
    const app = await startLifecycleApp({
      settings: { newDealStageName: 'Qualification' },
    });
    try {
      const created = await app.call('POST', '/v1/registrations', {
        user: PEOPLE.partnerSeller,
        body: {
          customerCompany: 'Stage Name Test Holdings',
          customerWebsite: 'https://stage-name.test',
          customerCountry: 'Canada',
          productLine: 'Platform',
          amount: '1000.00',
          currencyIsoCode: 'USD',
          expectedCloseDate: `${NEXT_YEAR}-06-30`,
        },
      });
      expect(created.status).toBe(201);
      const approved = await app.call(
        'POST',
        `/v1/registrations/${created.body.id}/approve`,
        { user: PEOPLE.channelManager, body: {} },
      );
      expect(approved.status).toBe(200);
      const [deal] = await app.gateway.queryRecords('Opportunity', {
        where: { Id: approved.body.deal.id },
        fields: ['StageName'],
      });
      expect(deal?.['StageName']).toBe('Qualification');
    } finally {
      await app.close();
    }
  });

  it('stops the server start naming the variable', async () => {
    await expect(
      startServer({ COSELL_CURRENCY_RATES: 'EUR=1.08;GBP=1.27', PORT: '0' }),
    ).rejects.toThrow(/COSELL_CURRENCY_RATES="EUR=1\.08;GBP=1\.27": /);
  });
});
