import { existsSync, statSync } from 'node:fs';
import { isIP, isIPv4 } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { lowerCaseChoice, wholeNumber } from './config-values.js';
import {
  findPackageFolderMistake,
  isPackageFolderCandidate,
  OBJECTS_FOLDER_DEPTH,
} from './org/force-app/find-folders.js';
import { namesFolder, folderPathProblem } from './org/local/store-path.js';
import {
  closestIsoCurrencyCode,
  isIsoCurrencyCode,
} from './domain/lifecycle/money.js';

/** The package root, where `force-app/` and `package.json` live. */
export const PACKAGE_ROOT = findPackageRoot(
  path.dirname(fileURLToPath(import.meta.url)),
);

function findPackageRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'sfdx-project.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

const booleanText = lowerCaseChoice(
  ['true', 'false', '1', '0'],
  'must be true or false',
).transform((value) => value === 'true' || value === '1');

/**
 * The largest COSELL_RATE_LIMIT_PER_MINUTE, about 16,700 requests a second. One
 * middleware process serves far fewer (BENCHMARKS.md measures about 3,200 a
 * second), so a larger value is a typo, not a limit.
 */
const MAX_RATE_LIMIT_PER_MINUTE = 1_000_000;

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Returns whether `value` is an IP address, or a host name that is not a malformed IPv4 address. */
function isHost(value: string): boolean {
  if (isIP(value) !== 0) return true;
  if (/^[\d.]+$/.test(value)) return isIPv4(value);
  return HOSTNAME.test(value);
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Returns whether `entry` is a proxy name that express accepts, an IP address, or an address/prefix range. */
function isProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  // express (through proxy-addr) rejects a /0 range when the app starts.
  const bits = Number(prefix);
  return (
    /^\d+$/.test(prefix) && bits >= 1 && bits <= (version === 4 ? 32 : 128)
  );
}

const CURRENCY_CODE = /^[A-Z]{3}$/;
const RATE = /^\d+(\.\d+)?$/;

/** Returns "; did you mean EUR?" when a current ISO 4217 code is one typo away from `code`, or "". */
function isoCodeHint(code: string): string {
  const closest = closestIsoCurrencyCode(code);
  return closest ? `; did you mean ${closest}?` : '';
}

/** Adds an issue, with the closest code, unless `code` is a current ISO 4217 code. */
function checkIsoCurrencyCode(code: string, ctx: z.RefinementCtx): void {
  if (isIsoCurrencyCode(code)) return;
  ctx.addIssue({
    code: 'custom',
    message: `must be a current three-letter ISO 4217 code in capitals, such as USD${isoCodeHint(code)}`,
  });
}

/**
 * Parses `EUR=1.08,GBP=1.27`: the value of one unit of each currency in the
 * corporate currency. Rates stay decimal text so that no rate passes through
 * binary floating point.
 */
function parseCurrencyRates(
  text: string,
  ctx: z.RefinementCtx,
): Record<string, string> {
  const rates: Record<string, string> = {};
  for (const entry of text.split(',')) {
    const [code = '', rate, ...rest] = entry.split('=').map((p) => p.trim());
    const problem = !CURRENCY_CODE.test(code)
      ? `"${entry.trim()}" does not start with a three-letter currency code in capitals`
      : rate === undefined || rest.length > 0 || !RATE.test(rate)
        ? `the rate of ${code} is not a decimal number such as 1.08`
        : Number(rate) === 0
          ? `the rate of ${code} is 0; a rate must be above 0`
          : rates[code] !== undefined
            ? `${code} is listed twice`
            : null;
    if (problem) {
      ctx.addIssue({
        code: 'custom',
        message: `${problem}; write CODE=RATE pairs separated by commas, such as EUR=1.08,GBP=1.27`,
      });
      return rates;
    }
    if (!isIsoCurrencyCode(code)) {
      const hint = isoCodeHint(code);
      ctx.addIssue({
        code: 'custom',
        message:
          `${code} in "${entry.trim()}" is not a current ISO 4217 currency code${hint}${hint ? ' ' : '. '}` +
          'Write each code as a current three-letter ISO 4217 code in capitals, such as EUR or GBP, or remove the pair',
      });
      return rates;
    }
    rates[code] = rate!;
  }
  return rates;
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns the path of the API token file that local mode generates without
 * COSELL_API_TOKEN: `api-token` in the folder of the store file `dbPath`.
 */
export function apiTokenFilePath(dbPath: string): string {
  return path.join(path.dirname(dbPath), 'api-token');
}

/** The shortest API token accepted, from the environment or the token file. */
export const MIN_API_TOKEN_LENGTH = 32;
/** The characters a bearer token may have: printable ASCII without spaces. */
export const API_TOKEN_TEXT = /^[\x21-\x7e]+$/;

const BaseConfigSchema = z.object({
  PORT: wholeNumber({
    min: 0,
    max: 65535,
    fallback: 3000,
    expected: 'a port number from 0 to 65535',
  }),
  HOST: z
    .string()
    .refine(
      isHost,
      'must be an IP address or host name of this machine, such as 127.0.0.1 or 0.0.0.0',
    )
    .default('127.0.0.1'),
  COSELL_TRUST_PROXY: z
    .string()
    .transform((value) => value.split(',').map((entry) => entry.trim()))
    .refine(
      (entries) =>
        (entries.length === 1 && entries[0] === 'false') ||
        entries.every(isProxyEntry),
      'must be false, or proxy addresses separated by commas: loopback, linklocal, uniquelocal, an IP address or an address/prefix such as 10.0.0.0/8',
    )
    .transform((entries) => (entries[0] === 'false' ? false : entries))
    .default(false),
  COSELL_STORE: lowerCaseChoice(
    ['local', 'salesforce'],
    'must be local (the SQLite store file) or salesforce (an org through the JWT bearer flow)',
  ).default('local'),
  COSELL_DB_PATH: z
    .string()
    .min(1)
    // SQLite opens ":memory:" as a database without a file, and the store needs a
    // file that a second connection and other processes can open.
    .refine((value) => value !== ':memory:', {
      message:
        'must be a file path, not an in-memory database; name a file such as ./data/cosell.db',
    })
    .superRefine((value, ctx) => {
      if (namesFolder(value)) {
        ctx.addIssue({ code: 'custom', message: folderPathProblem(value) });
      }
    })
    .default(path.join(PACKAGE_ROOT, '.cosell', 'cosell.db')),
  COSELL_PACKAGE_DIR: z
    .string()
    .min(1)
    .default(path.join(PACKAGE_ROOT, 'force-app')),
  COSELL_API_TOKEN: z
    .string()
    .min(
      MIN_API_TOKEN_LENGTH,
      `must be at least ${MIN_API_TOKEN_LENGTH} characters; generate one with \`openssl rand -hex 32\``,
    )
    .regex(
      API_TOKEN_TEXT,
      'must be printable ASCII without spaces, as an HTTP header carries it; generate one with `openssl rand -hex 32`',
    )
    .optional(),
  COSELL_TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as America/New_York')
    .default('UTC'),
  COSELL_LOG_LEVEL: lowerCaseChoice(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    'must be a pino log level: fatal, error, warn, info, debug, trace or silent',
  ).default('info'),
  COSELL_SEED_DEMO: booleanText.default(true),
  // A day at most: Node.js runs a timer longer than 2,147,483,647 ms (about 24.8 days) after 1 ms.
  COSELL_EXPIRY_SWEEP_SECONDS: wholeNumber({
    min: 0,
    max: 86_400,
    fallback: 60,
    expected: 'a whole number of seconds from 0 (off) to 86400',
    unit: 'seconds',
    maxReason: 'a day',
  }),
  COSELL_RATE_LIMIT_PER_MINUTE: wholeNumber({
    min: 0,
    max: MAX_RATE_LIMIT_PER_MINUTE,
    fallback: 0,
    expected: `a whole number of requests per minute from 0 (off) to ${MAX_RATE_LIMIT_PER_MINUTE}`,
    unit: 'requests per minute',
  }),
  COSELL_FISCAL_START_MONTH: wholeNumber({
    min: 1,
    max: 12,
    fallback: 1,
    expected: 'a month number from 1 (January) to 12',
    maxReason: 'December',
  }),
  COSELL_FISCAL_YEAR_NAMED_BY: lowerCaseChoice(
    ['start', 'end'],
    'must be start (FY named after the calendar year it starts in) or end (the year it ends in)',
  ).default('start'),
  COSELL_CORPORATE_CURRENCY: z
    .string()
    .superRefine(checkIsoCurrencyCode)
    .default('USD'),
  COSELL_CURRENCY_RATES: z.string().transform(parseCurrencyRates).optional(),
  COSELL_NEW_DEAL_STAGE: z
    .string()
    .trim()
    .min(1, 'must be an Opportunity StageName value, such as Prospecting')
    .max(
      255,
      'must be an Opportunity StageName value of at most 255 characters',
    )
    .default('Prospecting'),
});

export type BaseConfig = z.infer<typeof BaseConfigSchema>;

/** Rejects a rate for the corporate currency itself, which is a mistake, not a no-op. */
const ConfigSchema = BaseConfigSchema.superRefine((config, ctx) => {
  const corporate = config.COSELL_CORPORATE_CURRENCY;
  if (config.COSELL_CURRENCY_RATES?.[corporate] !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['COSELL_CURRENCY_RATES'],
      message: `names ${corporate}, the corporate currency (COSELL_CORPORATE_CURRENCY); remove it, because amounts in ${corporate} need no rate`,
    });
  }
});

/** A configuration variable that is missing or malformed. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `- ${p}`).join('\n')}\n` +
        'Fix the environment variables above and start again (the README lists them all).',
    );
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws `ConfigError` naming each bad variable. */
export function loadBaseConfig(
  env: NodeJS.ProcessEnv = process.env,
): BaseConfig {
  const parsed = ConfigSchema.safeParse(definedOnly(env));
  if (!parsed.success) throw configError(parsed.error.issues, env);
  return parsed.data;
}

/**
 * Parses only the variables `names`, with the checks and defaults of
 * `loadBaseConfig`, for a program such as an sf command that reads a few of
 * them. Throws `ConfigError` naming each bad variable among them.
 */
export function loadConfigVariables<const K extends keyof BaseConfig>(
  names: readonly K[],
  env: NodeJS.ProcessEnv = process.env,
): Pick<BaseConfig, K> {
  const mask: { [P in keyof BaseConfig]?: true } = Object.fromEntries(
    names.map((name) => [name, true]),
  );
  const parsed = BaseConfigSchema.pick(mask).safeParse(definedOnly(env));
  if (!parsed.success) throw configError(parsed.error.issues, env);
  // The mask's type covers every variable, so zod cannot infer the picked ones.
  return parsed.data as Pick<BaseConfig, K>;
}

/** Creates a `ConfigError` with one line per issue: the variable, its value and the problem. */
function configError(
  issues: readonly z.core.$ZodIssue[],
  env: NodeJS.ProcessEnv,
): ConfigError {
  return new ConfigError(
    issues.map((issue) => {
      const name = String(issue.path[0] ?? '');
      const raw = env[name];
      const printedValue =
        name === 'COSELL_API_TOKEN' ? '(hidden)' : JSON.stringify(raw);
      return `${name}=${printedValue}: ${issue.message}`;
    }),
  );
}

/**
 * Throws `ConfigError` when COSELL_PACKAGE_DIR is not a folder, or is a folder
 * with no `objects` folder within three levels, so that local mode names the
 * variable before it reads the objects and stage models there. Without the
 * second check, a folder above the checkout was walked whole, `.git` and test
 * fixtures included, and failed with one problem per folder found. The root of
 * an SFDX project and an `objects` folder itself are rejected with the
 * COSELL_PACKAGE_DIR value to set. The sf commands check `--source-dir` the
 * same way.
 */
export async function requirePackageDir(config: BaseConfig): Promise<void> {
  const packageDir = config.COSELL_PACKAGE_DIR;
  let isFolder = false;
  try {
    isFolder = statSync(packageDir).isDirectory();
  } catch {
    // A missing path, or one below a file, is reported as not found below.
  }
  const setting = `COSELL_PACKAGE_DIR=${JSON.stringify(packageDir)}`;
  if (!isFolder) {
    throw new ConfigError([
      `${setting}: package directory not found; ` +
        'set it to the sfdx package folder that holds objects/ and customMetadata/, ' +
        'such as force-app, or unset it to use the force-app folder of this package',
    ]);
  }
  const mistake = await findPackageFolderMistake(path.resolve(packageDir));
  if (mistake) {
    throw new ConfigError([
      `${setting}: ${mistake.reason}; set COSELL_PACKAGE_DIR=${mistake.packageFolder}`,
    ]);
  }
  if (await isPackageFolderCandidate(packageDir)) return;
  throw new ConfigError([
    `${setting}: has no objects folder within ${OBJECTS_FOLDER_DEPTH} levels, so it is not a package folder; ` +
      'set it to the folder that contains main/default/objects, such as the force-app folder of the package ' +
      `(${path.join(PACKAGE_ROOT, 'force-app')}), or unset it to use that folder`,
  ]);
}

/**
 * The variables whose empty value is rejected, not read as unset. `PORT=`
 * silently listening on 3000 hid a value lost in a script.
 */
const EMPTY_IS_INVALID = new Set(['PORT']);

/** Returns the variables of `env` that are set, reading an empty value as unset. */
function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (value !== '' || EMPTY_IS_INVALID.has(key)) result[key] = value;
  }
  return result;
}
