import { z } from 'zod';
import { ConfigError } from '../../config.js';
import { wholeNumber } from '../../config-values.js';
import { readPrivateKey } from './private-key.js';

/** Audiences Salesforce accepts in a JWT bearer assertion: production and sandbox login. */
export const PRODUCTION_AUDIENCE = 'https://login.salesforce.com';
export const SANDBOX_AUDIENCE = 'https://test.salesforce.com';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** An https URL, or http on loopback (the tests' stand-in); no path, query or fragment. */
const orgUrl = z
  .string()
  .trim()
  .refine(isOrgUrl, {
    message:
      'must be an https URL such as https://mycompany.my.salesforce.com (http is accepted only for 127.0.0.1 or localhost)',
  })
  .transform((value) => value.replace(/\/+$/, ''));

/** The maximum timer delay of Node.js, which runs a longer timer after 1 ms. */
const MAX_TIMER_MS = 2_147_483_647;

const milliseconds = (fallback: number, min: number) =>
  wholeNumber({
    min,
    max: MAX_TIMER_MS,
    fallback,
    expected: `a whole number of milliseconds from ${min} to ${MAX_TIMER_MS}`,
    unit: 'milliseconds',
    maxReason: 'about 24.8 days',
  });

/**
 * The largest Bulk API result page (`maxRecords`). Every row of a page is held in
 * memory, so a larger value is taken as a typo.
 */
const MAX_BULK_PAGE_SIZE = 1_000_000;

/** The value each required variable takes, named in the message when it is missing. */
const REQUIRED_VARIABLES: Record<string, string> = {
  COSELL_SF_LOGIN_URL:
    "the org's login URL, such as https://login.salesforce.com or https://mycompany.my.salesforce.com",
  COSELL_SF_CLIENT_ID: "the connected app's consumer key",
  COSELL_SF_USERNAME:
    "the integration user's Salesforce username, such as cosell-integration@mycompany.com",
};

const SalesforceEnvSchema = z.object({
  COSELL_SF_LOGIN_URL: orgUrl,
  COSELL_SF_AUDIENCE: z
    .string()
    .trim()
    .refine((value) => isOrgUrl(value) && !value.endsWith('/'), {
      message: `must be the login host Salesforce expects, such as ${PRODUCTION_AUDIENCE} or ${SANDBOX_AUDIENCE}, without a trailing slash`,
    })
    .optional(),
  COSELL_SF_CLIENT_ID: z
    .string()
    .trim()
    .min(1, { error: "must be the connected app's consumer key" }),
  COSELL_SF_USERNAME: z
    .string()
    .trim()
    .regex(/^[^\s@]+@[^\s@]+$/, {
      message:
        "must be the integration user's Salesforce username, such as cosell-integration@mycompany.com",
    }),
  COSELL_SF_API_VERSION: z
    .string()
    .trim()
    .regex(/^\d{2,3}\.0$/, {
      message: 'must be an API version such as 62.0',
    })
    .refine((value) => Number(value) >= 47, {
      message:
        'must be 47.0 or later, the first version with Bulk API 2.0 query jobs',
    })
    .default('62.0'),
  COSELL_SF_INSTANCE_URL: orgUrl.optional(),
  COSELL_SF_TIMEOUT_MS: milliseconds(30_000, 1),
  COSELL_SF_MAX_RETRIES: wholeNumber({
    min: 0,
    max: 10,
    fallback: 3,
    expected: 'a whole number of retries from 0 to 10',
    unit: 'retries',
  }),
  COSELL_SF_RETRY_MIN_MS: milliseconds(500, 0),
  COSELL_SF_RETRY_MAX_MS: milliseconds(8_000, 0),
  COSELL_SF_BULK_POLL_MIN_MS: milliseconds(1_000, 0),
  COSELL_SF_BULK_POLL_MAX_MS: milliseconds(15_000, 0),
  COSELL_SF_BULK_TIMEOUT_MS: milliseconds(30 * 60_000, 1),
  COSELL_SF_BULK_PAGE_SIZE: wholeNumber({
    min: 1,
    max: MAX_BULK_PAGE_SIZE,
    fallback: 10_000,
    expected: `a whole number of records from 1 to ${MAX_BULK_PAGE_SIZE}`,
    unit: 'records',
  }),
});

/** Retry, timeout and Bulk API settings shared by the gateway's parts. */
export interface SalesforceCallSettings {
  apiVersion: string;
  /** Time limit of one HTTP call, in milliseconds. */
  timeoutMs: number;
  /** Retries after the first attempt, for faults that a retry can fix. */
  maxRetries: number;
  retryMinMs: number;
  retryMaxMs: number;
  bulkPollMinMs: number;
  bulkPollMaxMs: number;
  /** How long one Bulk API query job may take before the read fails. */
  bulkTimeoutMs: number;
  /** Rows per Bulk API result page (`maxRecords`). */
  bulkPageSize: number;
}

export interface SalesforceConfig extends SalesforceCallSettings {
  /** Base URL of the token request, such as `https://mycompany.my.salesforce.com`. */
  loginUrl: string;
  /** The JWT `aud` claim: `https://login.salesforce.com` or `https://test.salesforce.com`. */
  audience: string;
  clientId: string;
  username: string;
  /** PEM of the private key whose certificate the connected app holds. */
  privateKeyPem: string;
  /** Overrides the instance URL the token response names. */
  instanceUrl: string | null;
}

/**
 * Reads and checks the `COSELL_SF_*` variables; throws `ConfigError` naming every
 * missing or malformed one. The private key is read here, so a bad path stops the
 * start too; its contents never appear in a message.
 */
export function loadSalesforceConfig(
  env: NodeJS.ProcessEnv = process.env,
): SalesforceConfig {
  const defined = definedOnly(env);
  const parsed = SalesforceEnvSchema.safeParse(defined);
  const problems: string[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '');
        const required = REQUIRED_VARIABLES[name];
        if (required && defined[name] === undefined) {
          return `${name} is missing: set it to ${required}`;
        }
        const shown =
          name === 'COSELL_SF_PRIVATE_KEY'
            ? '(hidden)'
            : JSON.stringify(env[name]);
        return `${name}=${shown}: ${issue.message}`;
      });
  const privateKeyPem = readPrivateKey(
    defined.COSELL_SF_PRIVATE_KEY_FILE?.trim(),
    defined.COSELL_SF_PRIVATE_KEY,
    problems,
  );
  if (!parsed.success) throw new ConfigError(problems);
  const vars = parsed.data;
  if (vars.COSELL_SF_RETRY_MAX_MS < vars.COSELL_SF_RETRY_MIN_MS) {
    problems.push(
      `COSELL_SF_RETRY_MAX_MS=${vars.COSELL_SF_RETRY_MAX_MS}: must be at least COSELL_SF_RETRY_MIN_MS (${vars.COSELL_SF_RETRY_MIN_MS})`,
    );
  }
  if (vars.COSELL_SF_BULK_POLL_MAX_MS < vars.COSELL_SF_BULK_POLL_MIN_MS) {
    problems.push(
      `COSELL_SF_BULK_POLL_MAX_MS=${vars.COSELL_SF_BULK_POLL_MAX_MS}: must be at least COSELL_SF_BULK_POLL_MIN_MS (${vars.COSELL_SF_BULK_POLL_MIN_MS})`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    loginUrl: vars.COSELL_SF_LOGIN_URL,
    audience:
      vars.COSELL_SF_AUDIENCE ?? defaultAudience(vars.COSELL_SF_LOGIN_URL),
    clientId: vars.COSELL_SF_CLIENT_ID,
    username: vars.COSELL_SF_USERNAME,
    privateKeyPem: privateKeyPem ?? '',
    instanceUrl: vars.COSELL_SF_INSTANCE_URL ?? null,
    apiVersion: vars.COSELL_SF_API_VERSION,
    timeoutMs: vars.COSELL_SF_TIMEOUT_MS,
    maxRetries: vars.COSELL_SF_MAX_RETRIES,
    retryMinMs: vars.COSELL_SF_RETRY_MIN_MS,
    retryMaxMs: vars.COSELL_SF_RETRY_MAX_MS,
    bulkPollMinMs: vars.COSELL_SF_BULK_POLL_MIN_MS,
    bulkPollMaxMs: vars.COSELL_SF_BULK_POLL_MAX_MS,
    bulkTimeoutMs: vars.COSELL_SF_BULK_TIMEOUT_MS,
    bulkPageSize: vars.COSELL_SF_BULK_PAGE_SIZE,
  };
}

/**
 * Returns the audience for a login URL: sandboxes (`test.salesforce.com` and
 * `*.sandbox.my.salesforce.com`) use the sandbox login host, every other org the
 * production one, My Domain included.
 */
export function defaultAudience(loginUrl: string): string {
  const host = new URL(loginUrl).hostname.toLowerCase();
  return host === 'test.salesforce.com' ||
    host.endsWith('.sandbox.my.salesforce.com')
    ? SANDBOX_AUDIENCE
    : PRODUCTION_AUDIENCE;
}

function isOrgUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '') {
    return false;
  }
  if (url.pathname !== '/' && url.pathname !== '') return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('COSELL_SF_') && value !== undefined && value !== '') {
      result[key] = value;
    }
  }
  return result;
}
