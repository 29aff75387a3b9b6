import { randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import type { Stats } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { CosellContext } from './app/cosell-context.js';
import { createFolders } from './create-folders.js';
import {
  API_TOKEN_TEXT,
  apiTokenFilePath,
  MIN_API_TOKEN_LENGTH,
} from './config.js';
import type { BaseConfig } from './config.js';
import { buildDealQueryPlan } from './domain/query-plan.js';
import { loadStageModels } from './domain/stage-model.js';
import type { OrgGateway } from './org/gateway.js';

/** Reads the schema and the models from the store and builds the use-case context. */
export async function createCosellContext(
  gateway: OrgGateway,
  options: { timeZone: string; logger: Logger; now?: () => Date },
): Promise<CosellContext> {
  const schema = await gateway.describeSchema();
  const source = await gateway.loadModelSource();
  const models = loadStageModels(source, schema);
  options.logger.info(
    {
      models: [...models.values()].map((m) => ({
        name: m.developerName,
        stages: m.stages.length,
        criteria: m.stages.reduce(
          (sum, s) => sum + s.exitCriteria.length + s.closingCriteria.length,
          0,
        ),
      })),
    },
    'stage models loaded',
  );
  return {
    gateway,
    schema,
    models,
    plan: buildDealQueryPlan(models),
    timeZone: options.timeZone,
    now: options.now ?? (() => new Date()),
    logger: options.logger,
  };
}

/** An API token file that another user could read or replace, or may have planted. */
export class TokenFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenFileError';
  }
}

/**
 * Returns the configured API token or, in local mode without one, a token generated
 * once and kept beside the store file (readable by the owner only), so a fresh clone
 * starts without setup and the token never appears in a log. Throws
 * `TokenFileError` when an existing token file is not private to this user or
 * does not contain a valid token.
 */
export function resolveLocalApiToken(config: BaseConfig): {
  token: string;
  tokenFile: string | null;
} {
  if (config.COSELL_API_TOKEN)
    return { token: config.COSELL_API_TOKEN, tokenFile: null };
  const tokenFile = apiTokenFilePath(config.COSELL_DB_PATH);
  const existing = lstatSync(tokenFile, { throwIfNoEntry: false });
  if (existing) {
    requirePrivateTokenFile(tokenFile, existing);
    const token = readFileSync(tokenFile, 'utf8').trim();
    // A Named Credential may still send the old token, so an invalid one is not replaced.
    const unsendable = token !== '' && !API_TOKEN_TEXT.test(token);
    if (token.length < MIN_API_TOKEN_LENGTH || unsendable) {
      throw new TokenFileError(
        `The API token file ${tokenFile} contains a token of ${token.length} characters${unsendable ? ' with whitespace, control or non-ASCII characters in it' : ''}, but a token needs at least ${MIN_API_TOKEN_LENGTH} printable ASCII characters and no spaces; delete the file so that start makes a new one, or write such a token into it.`,
      );
    }
    return { token, tokenFile };
  }
  createFolders(path.dirname(tokenFile));
  const token = randomBytes(32).toString('hex');
  // 'wx' fails rather than follow a file or link created since the check above.
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(tokenFile, 0o600);
  return { token, tokenFile };
}

/**
 * Throws `TokenFileError` unless the token file is a regular file of this user
 * that group and others can neither read nor write. In a shared folder such as
 * /tmp, another local user could otherwise plant a token they know.
 */
function requirePrivateTokenFile(tokenFile: string, info: Stats): void {
  const fix = `delete it so that start makes a new one`;
  if (!info.isFile()) {
    throw new TokenFileError(
      `The API token file ${tokenFile} is not a regular file (it is a symbolic link, folder or device); ${fix}.`,
    );
  }
  // Windows has no POSIX owner or mode bits, and process.getuid is undefined there.
  const uid = process.getuid?.();
  if (uid === undefined) return;
  if (info.uid !== uid) {
    throw new TokenFileError(
      `The API token file ${tokenFile} is owned by user id ${info.uid}, not by the user running the middleware (user id ${uid}), so another user may know the token; ${fix}, or set COSELL_DB_PATH to a file in a folder of your own.`,
    );
  }
  const mode = info.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new TokenFileError(
      `The API token file ${tokenFile} has mode ${mode.toString(8).padStart(3, '0')}, so group or others can read or change it; run "chmod 600 ${tokenFile}" if you made it, or ${fix}.`,
    );
  }
}
