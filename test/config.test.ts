import { describe, expect, it } from '@jest/globals';
import express from 'express';
import { ConfigError, loadBaseConfig } from '../middleware/src/config.js';

function problemOf(name: string, value: string): string | undefined {
  try {
    loadBaseConfig({ [name]: value });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems[0];
    throw error;
  }
  return undefined;
}

describe('server configuration', () => {
  it.each([
    ['PORT', ' 80', 'must be a port number from 0 to 65535'],
    ['PORT', '0x50', 'must be a port number from 0 to 65535'],
    ['PORT', '-1', 'must be a port number from 0 to 65535'],
    ['PORT', '70000', 'is too large; the largest accepted value is 65535'],
    [
      'PORT',
      '',
      'is empty; set it to a port number from 0 to 65535, or unset it to use 3000',
    ],
    ['HOST', '999.1.1.1', 'must be an IP address or host name'],
    ['HOST', 'evil host', 'must be an IP address or host name'],
    [
      'COSELL_EXPIRY_SWEEP_SECONDS',
      '3000000',
      'is too large; the largest accepted value is 86400 seconds (a day)',
    ],
    ['COSELL_EXPIRY_SWEEP_SECONDS', '1e3', 'from 0 (off) to 86400'],
    ['COSELL_RATE_LIMIT_PER_MINUTE', '-1', 'from 0 (off) to 1000000'],
    ['COSELL_RATE_LIMIT_PER_MINUTE', '2.5', 'from 0 (off) to 1000000'],
    ['COSELL_FISCAL_START_MONTH', '0x0C', 'month number from 1 (January)'],
    ['COSELL_FISCAL_START_MONTH', '0', 'month number from 1 (January)'],
    ['COSELL_TRUST_PROXY', 'nonsense', 'must be false, or proxy addresses'],
    ['COSELL_TRUST_PROXY', '10.0.0.0/33', 'must be false, or proxy addresses'],
    ['COSELL_TRUST_PROXY', '0.0.0.0/0', 'must be false, or proxy addresses'],
    ['COSELL_TRUST_PROXY', '::/0', 'must be false, or proxy addresses'],
    ['COSELL_DB_PATH', ':memory:', 'must be a file path'],
  ])('rejects %s=%j', (name, value, message) => {
    const problem = problemOf(name, value);
    expect(problem?.startsWith(`${name}=${JSON.stringify(value)}: `)).toBe(
      true,
    );
    expect(problem).toContain(message);
  });

  it.each([
    [
      'PORT',
      '99999999999999999999999',
      'is too large; the largest accepted value is 65535',
    ],
    [
      'COSELL_EXPIRY_SWEEP_SECONDS',
      '99999999999999999999999',
      'is too large; the largest accepted value is 86400 seconds (a day)',
    ],
    [
      'COSELL_RATE_LIMIT_PER_MINUTE',
      '99999999999999999999999',
      'is too large; the largest accepted value is 1000000 requests per minute',
    ],
    [
      'COSELL_RATE_LIMIT_PER_MINUTE',
      '1000001',
      'is too large; the largest accepted value is 1000000 requests per minute',
    ],
    [
      'COSELL_FISCAL_START_MONTH',
      '99999999999999999999999',
      'is too large; the largest accepted value is 12 (December)',
    ],
    [
      'COSELL_STORE',
      'LOCAL',
      'must be local (the SQLite store file) or salesforce (an org through the JWT bearer flow); the values are lower case, so write local',
    ],
    [
      'COSELL_STORE',
      'sqlite',
      'must be local (the SQLite store file) or salesforce (an org through the JWT bearer flow)',
    ],
    [
      'COSELL_LOG_LEVEL',
      'Debug',
      'must be a pino log level: fatal, error, warn, info, debug, trace or silent; the values are lower case, so write debug',
    ],
    [
      'COSELL_LOG_LEVEL',
      'verbose',
      'must be a pino log level: fatal, error, warn, info, debug, trace or silent',
    ],
    [
      'COSELL_SEED_DEMO',
      'TRUE',
      'must be true or false; the values are lower case, so write true',
    ],
    [
      'COSELL_FISCAL_YEAR_NAMED_BY',
      'END',
      'must be start (FY named after the calendar year it starts in) or end (the year it ends in); the values are lower case, so write end',
    ],
    [
      'COSELL_CURRENCY_RATES',
      'ABC=1.2',
      'ABC in "ABC=1.2" is not a current ISO 4217 currency code. Write each code as a current three-letter ISO 4217 code in capitals, such as EUR or GBP, or remove the pair',
    ],
    [
      'COSELL_CURRENCY_RATES',
      'GBP=1.27, EUT=1.08',
      'EUT in "EUT=1.08" is not a current ISO 4217 currency code; did you mean EUR? Write each code as a current three-letter ISO 4217 code in capitals, such as EUR or GBP, or remove the pair',
    ],
    [
      'COSELL_CURRENCY_RATES',
      'GPB=1.27',
      'GPB in "GPB=1.27" is not a current ISO 4217 currency code; did you mean GBP? Write each code as a current three-letter ISO 4217 code in capitals, such as EUR or GBP, or remove the pair',
    ],
    [
      'COSELL_CURRENCY_RATES',
      'XXX=1',
      'XXX in "XXX=1" is not a current ISO 4217 currency code. Write each code as a current three-letter ISO 4217 code in capitals, such as EUR or GBP, or remove the pair',
    ],
    [
      'COSELL_CORPORATE_CURRENCY',
      'UDS',
      'must be a current three-letter ISO 4217 code in capitals, such as USD; did you mean USD?',
    ],
    [
      'COSELL_CORPORATE_CURRENCY',
      'XXX',
      'must be a current three-letter ISO 4217 code in capitals, such as USD',
    ],
  ])('names the problem of %s=%j', (name, value, message) => {
    expect(problemOf(name, value)).toBe(
      `${name}=${JSON.stringify(value)}: ${message}`,
    );
  });

  it.each([
    ['short', 'short', 'must be at least 32 characters'],
    ['spaced', `${'a'.repeat(32)} b`, 'printable ASCII without spaces'],
    ['control', `${'a'.repeat(32)}\u0001`, 'printable ASCII without spaces'],
    ['non-ASCII', `${'a'.repeat(32)}é`, 'printable ASCII without spaces'],
  ])('rejects a %s COSELL_API_TOKEN unseen', (_label, value, message) => {
    const problem = problemOf('COSELL_API_TOKEN', value);
    expect(problem).toContain('COSELL_API_TOKEN=(hidden): ');
    expect(problem).toContain(message);
    expect(problem).not.toContain(value);
  });

  it.each([
    ['HOST', '0.0.0.0'],
    ['HOST', '::1'],
    ['HOST', 'cosell-middleware.internal'],
    ['PORT', '8080'],
    ['PORT', '65535'],
    ['COSELL_EXPIRY_SWEEP_SECONDS', '86400'],
    ['COSELL_RATE_LIMIT_PER_MINUTE', '1000000'],
    ['COSELL_FISCAL_START_MONTH', '12'],
    ['COSELL_STORE', 'salesforce'],
    ['COSELL_LOG_LEVEL', 'trace'],
    ['COSELL_CURRENCY_RATES', 'EUR=1.08,GBP=1.27,JPY=0.0067'],
    ['COSELL_TRUST_PROXY', 'loopback, 10.0.0.0/8, fd00::1'],
  ])('accepts %s=%j', (name, value) => {
    expect(problemOf(name, value)).toBeUndefined();
  });

  it.each([
    'loopback',
    'linklocal, uniquelocal',
    '10.0.0.1/32, 10.0.0.0/1',
    '::1/128, fd00::/8, 192.168.1.7',
  ])('passes %j on to express as it accepts it', (value) => {
    const trusted = loadBaseConfig({
      COSELL_TRUST_PROXY: value,
    }).COSELL_TRUST_PROXY;
    expect(() => express().set('trust proxy', trusted)).not.toThrow();
  });

  it('trusts no proxy by default', () => {
    expect(loadBaseConfig({}).COSELL_TRUST_PROXY).toBe(false);
    expect(
      loadBaseConfig({ COSELL_TRUST_PROXY: 'loopback, 10.0.0.0/8' })
        .COSELL_TRUST_PROXY,
    ).toEqual(['loopback', '10.0.0.0/8']);
  });
});
