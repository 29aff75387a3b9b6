import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import { ConfigError, loadConfigVariables } from '../config.js';
import { requireTimeZone as requireZone } from '../domain/lifecycle/calendar.js';
import { sourceDirFlag } from './source-dir.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('cosell-stages', 'cosell.store');

/**
 * The flags that choose the store a command reads: `--local` with `--db` and
 * `--source-dir`, or `--target-org` with `--api-version`. `openCommandStore`
 * checks that exactly one store is named.
 */
export const storeFlags = {
  local: Flags.boolean({
    summary: messages.getMessage('flags.local.summary'),
    default: false,
  }),
  db: Flags.file({
    summary: messages.getMessage('flags.db.summary'),
    default: '.cosell/cosell.db',
    env: 'COSELL_DB_PATH',
  }),
  'source-dir': sourceDirFlag(messages.getMessage('flags.source-dir.summary')),
  // A plain string, not Flags.optionalOrg: that flag looks the org up while
  // oclif parses, so --local --target-org failed on the lookup before
  // openCommandStore could reject the pair.
  'target-org': Flags.string({
    char: 'o',
    summary: messages.getMessage('flags.target-org.summary'),
  }),
  'api-version': Flags.orgApiVersion(),
};

/**
 * Returns whether `--db` was typed on the command line. oclif marks a flag value
 * that comes from COSELL_DB_PATH the same way as a typed one, so only the raw
 * tokens of the parse tell the two apart.
 */
export function isDbFlagGiven(
  raw: ReadonlyArray<{ type: string; flag?: string }>,
): boolean {
  return raw.some((token) => token.type === 'flag' && token.flag === 'db');
}

/** `--time-zone`, for the commands that evaluate `TODAY()` or count days. */
export const timeZoneFlag = {
  'time-zone': Flags.string({
    summary: messages.getMessage('flags.time-zone.summary'),
    default: 'UTC',
    env: 'COSELL_TIME_ZONE',
  }),
};

/**
 * Returns `--time-zone` when it is an IANA zone, or fails naming the value.
 * A zone that comes from COSELL_TIME_ZONE, because the flag was not typed in
 * the raw tokens `raw`, gets the middleware's check and names the variable.
 */
export function requireTimeZone(
  zone: string,
  raw: ReadonlyArray<{ type: string; flag?: string }>,
): string {
  const typed = raw.some(
    (token) => token.type === 'flag' && token.flag === 'time-zone',
  );
  if (!typed && process.env['COSELL_TIME_ZONE'] === zone) {
    requireTimeZoneVariable();
  }
  try {
    return requireZone(zone);
  } catch (error) {
    throw messages.createError(
      'error.InvalidTimeZone',
      [zone],
      [],
      error as Error,
    );
  }
}

/** Checks COSELL_TIME_ZONE as the middleware's start does. */
export function requireTimeZoneVariable(): void {
  try {
    loadConfigVariables(['COSELL_TIME_ZONE']);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw messages.createError(
      'error.InvalidTimeZoneVariable',
      [error.problems.join('; ')],
      [],
      error,
    );
  }
}
