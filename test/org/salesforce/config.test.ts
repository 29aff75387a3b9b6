import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../../middleware/src/config.js';
import {
  defaultAudience,
  loadSalesforceConfig,
} from '../../../middleware/src/org/salesforce/config.js';
import { rsaPem } from './salesforce-fixture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cosell-sf-config-'));
const keyFile = path.join(dir, 'integration.key');
writeFileSync(keyFile, rsaPem().privateKey, { mode: 0o600 });

const VALID = {
  COSELL_SF_LOGIN_URL: 'https://acme.my.salesforce.com',
  COSELL_SF_CLIENT_ID: '3MVG9-consumer-key',
  COSELL_SF_USERNAME: 'cosell-integration@acme.com',
  COSELL_SF_PRIVATE_KEY_FILE: keyFile,
};

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadSalesforceConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('loadSalesforceConfig', () => {
  it('reads a minimal configuration with defaults', () => {
    const config = loadSalesforceConfig(VALID);
    expect(config).toMatchObject({
      loginUrl: 'https://acme.my.salesforce.com',
      audience: 'https://login.salesforce.com',
      clientId: '3MVG9-consumer-key',
      username: 'cosell-integration@acme.com',
      apiVersion: '62.0',
      instanceUrl: null,
      timeoutMs: 30_000,
      maxRetries: 3,
      bulkPageSize: 10_000,
    });
    expect(config.privateKeyPem).toContain('BEGIN PRIVATE KEY');
  });

  it('takes the key inline with escaped line breaks', () => {
    const pem = rsaPem().privateKey.replace(/\n/g, '\\n');
    const { COSELL_SF_PRIVATE_KEY_FILE: _file, ...rest } = VALID;
    const config = loadSalesforceConfig({
      ...rest,
      COSELL_SF_PRIVATE_KEY: pem,
    });
    expect(config.privateKeyPem).toBe(rsaPem().privateKey);
  });

  it.each([
    ['https://acme.my.salesforce.com', 'https://login.salesforce.com'],
    ['https://login.salesforce.com', 'https://login.salesforce.com'],
    ['https://test.salesforce.com', 'https://test.salesforce.com'],
    [
      'https://acme--uat.sandbox.my.salesforce.com',
      'https://test.salesforce.com',
    ],
  ])('picks the audience for %s', (loginUrl, audience) => {
    expect(defaultAudience(loginUrl)).toBe(audience);
  });

  it('keeps a configured audience', () => {
    const config = loadSalesforceConfig({
      ...VALID,
      COSELL_SF_AUDIENCE: 'https://test.salesforce.com',
    });
    expect(config.audience).toBe('https://test.salesforce.com');
  });

  it('names every missing variable', () => {
    const problems = problemsOf({});
    expect(problems.map((p) => p.split(/[= ]/)[0])).toEqual([
      'COSELL_SF_LOGIN_URL',
      'COSELL_SF_CLIENT_ID',
      'COSELL_SF_USERNAME',
      'COSELL_SF_PRIVATE_KEY_FILE',
    ]);
    expect(problems[0]).toBe(
      "COSELL_SF_LOGIN_URL is missing: set it to the org's login URL, such as https://login.salesforce.com or https://mycompany.my.salesforce.com",
    );
    expect(problems.join('\n')).not.toContain('undefined');
  });

  it.each([
    ['COSELL_SF_LOGIN_URL', 'http://acme.my.salesforce.com', 'https URL'],
    ['COSELL_SF_LOGIN_URL', 'https://acme.my.salesforce.com/path', 'https URL'],
    ['COSELL_SF_AUDIENCE', 'login.salesforce.com', 'login host'],
    ['COSELL_SF_USERNAME', 'integration', 'username'],
    ['COSELL_SF_API_VERSION', '62', 'such as 62.0'],
    ['COSELL_SF_API_VERSION', '46.0', '47.0 or later'],
    [
      'COSELL_SF_TIMEOUT_MS',
      'soon',
      'must be a whole number of milliseconds from 1 to 2147483647',
    ],
    [
      'COSELL_SF_TIMEOUT_MS',
      '1e3',
      'must be a whole number of milliseconds from 1 to 2147483647',
    ],
    [
      'COSELL_SF_TIMEOUT_MS',
      '99999999999999999999999',
      'is too large; the largest accepted value is 2147483647 milliseconds (about 24.8 days)',
    ],
    [
      'COSELL_SF_BULK_TIMEOUT_MS',
      '3000000000',
      'is too large; the largest accepted value is 2147483647 milliseconds (about 24.8 days)',
    ],
    [
      'COSELL_SF_RETRY_MIN_MS',
      '-5',
      'must be a whole number of milliseconds from 0 to 2147483647',
    ],
    [
      'COSELL_SF_MAX_RETRIES',
      '50',
      'is too large; the largest accepted value is 10 retries',
    ],
    [
      'COSELL_SF_MAX_RETRIES',
      '99999999999999999999999',
      'is too large; the largest accepted value is 10 retries',
    ],
    [
      'COSELL_SF_BULK_PAGE_SIZE',
      '0',
      'must be a whole number of records from 1 to 1000000',
    ],
    [
      'COSELL_SF_BULK_PAGE_SIZE',
      '99999999999999999999999',
      'is too large; the largest accepted value is 1000000 records',
    ],
    ['COSELL_SF_INSTANCE_URL', 'ftp://acme', 'https URL'],
  ])('rejects %s=%s', (name, value, hint) => {
    const problems = problemsOf({ ...VALID, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${name}=${JSON.stringify(value)}`);
    expect(problems[0]).toContain(hint);
  });

  it('accepts http on loopback only', () => {
    const config = loadSalesforceConfig({
      ...VALID,
      COSELL_SF_LOGIN_URL: 'http://127.0.0.1:8443',
    });
    expect(config.loginUrl).toBe('http://127.0.0.1:8443');
  });

  it('reports an unreadable key file', () => {
    const problems = problemsOf({
      ...VALID,
      COSELL_SF_PRIVATE_KEY_FILE: path.join(dir, 'missing.key'),
    });
    expect(problems).toEqual([
      expect.stringContaining('cannot be read (ENOENT)'),
    ]);
  });

  it('reports a file that is no private key', () => {
    const certificate = path.join(dir, 'not-a-key.pem');
    writeFileSync(certificate, '-----BEGIN CERTIFICATE-----\nMIIB\n');
    const problems = problemsOf({
      ...VALID,
      COSELL_SF_PRIVATE_KEY_FILE: certificate,
    });
    expect(problems).toEqual([
      expect.stringContaining('is not a PEM private key'),
    ]);
  });

  it('never shows an inline key', () => {
    const { COSELL_SF_PRIVATE_KEY_FILE: _file, ...rest } = VALID;
    const problems = problemsOf({
      ...rest,
      COSELL_SF_PRIVATE_KEY: 'secret-material-not-a-pem',
    });
    expect(problems.join('\n')).not.toContain('secret-material');
    expect(problems[0]).toContain('COSELL_SF_PRIVATE_KEY=(hidden)');
  });

  it.each([
    [
      'an EC key',
      generateKeyPairSync('ec', {
        namedCurve: 'P-256',
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      }).privateKey,
      'holds a key of type ec, but the JWT bearer flow signs with RS256, which needs an RSA key; create one with openssl genrsa -out cosell-integration.key 2048 and give its certificate to the connected app',
    ],
    [
      'a 1024-bit RSA key',
      generateKeyPairSync('rsa', {
        modulusLength: 1024,
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      }).privateKey,
      'holds a 1024-bit RSA key, but RS256 needs at least 2048 bits; create one with openssl genrsa -out cosell-integration.key 2048 and give its certificate to the connected app',
    ],
  ])('rejects %s in the key file', (_label, pem, message) => {
    const file = path.join(dir, 'unusable.key');
    writeFileSync(file, pem, { mode: 0o600 });
    const problems = problemsOf({ ...VALID, COSELL_SF_PRIVATE_KEY_FILE: file });
    expect(problems).toEqual([
      `COSELL_SF_PRIVATE_KEY_FILE=${JSON.stringify(file)}: ${message}`,
    ]);
  });

  it('rejects both key variables at once', () => {
    const problems = problemsOf({
      ...VALID,
      COSELL_SF_PRIVATE_KEY: rsaPem().privateKey,
    });
    expect(problems).toEqual([expect.stringContaining('set only one')]);
  });
});
