import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

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

const booleanText = z
  .enum(['true', 'false', '1', '0'], {
    error: 'must be true or false',
  })
  .transform((value) => value === 'true' || value === '1');

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const BaseConfigSchema = z.object({
  PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int()
    .min(0)
    .max(65535)
    .default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  COSELL_STORE: z.enum(['local', 'salesforce']).default('local'),
  COSELL_DB_PATH: z
    .string()
    .min(1)
    .default(path.join(PACKAGE_ROOT, '.cosell', 'cosell.db')),
  COSELL_PACKAGE_DIR: z
    .string()
    .min(1)
    .default(path.join(PACKAGE_ROOT, 'force-app')),
  COSELL_API_TOKEN: z
    .string()
    .min(
      32,
      'must be at least 32 characters; generate one with `openssl rand -hex 32`',
    )
    .optional(),
  COSELL_TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as America/New_York')
    .default('UTC'),
  COSELL_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  COSELL_SEED_DEMO: booleanText.default(true),
  COSELL_EXPIRY_SWEEP_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int()
    .min(0)
    .default(60),
  COSELL_RATE_LIMIT_PER_MINUTE: z.coerce
    .number({ error: 'must be a number of requests' })
    .int()
    .min(0)
    .default(0),
});

export type BaseConfig = z.infer<typeof BaseConfigSchema>;

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
  const parsed = BaseConfigSchema.safeParse(definedOnly(env));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '');
        const raw = env[name];
        const shown =
          name === 'COSELL_API_TOKEN' ? '(hidden)' : JSON.stringify(raw);
        return `${name}=${shown}: ${issue.message}`;
      }),
    );
  }
  return parsed.data;
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') result[key] = value;
  }
  return result;
}
