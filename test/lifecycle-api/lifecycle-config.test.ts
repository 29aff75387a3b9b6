import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadBaseConfig } from '../../middleware/src/config.js';
import { startServer } from '../../middleware/src/server.js';

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
    ['COSELL_FISCAL_START_MONTH', '13', 'month number from 1 (January) to 12'],
    ['COSELL_FISCAL_START_MONTH', '0', 'month number from 1 (January) to 12'],
    ['COSELL_FISCAL_START_MONTH', '4.5', 'whole month number'],
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

  it('stops the server start naming the variable', async () => {
    await expect(
      startServer({ COSELL_CURRENCY_RATES: 'EUR=1.08;GBP=1.27', PORT: '0' }),
    ).rejects.toThrow(/COSELL_CURRENCY_RATES="EUR=1\.08;GBP=1\.27": /);
  });
});
