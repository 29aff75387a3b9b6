import { statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  ConfigAggregator,
  Messages,
  Org,
  OrgConfigProperties,
} from '@salesforce/core';
import type { Logger } from 'pino';
import type { CosellContext } from '../app/cosell-context.js';
import { createCosellContext } from '../bootstrap.js';
import { requirePackageFolder } from './source-dir.js';
import { ConfigError, loadConfigVariables } from '../config.js';
import type { OrgSchema } from '../domain/schema.js';
import { ModelLoadError } from '../domain/stage-model.js';
import { createLogger } from '../logger.js';
import { GatewayError } from '../org/errors.js';
import { ForceAppError } from '../org/force-app/index.js';
import type { OrgGateway } from '../org/gateway.js';
import type { LifecycleStore } from '../org/lifecycle-store.js';
import { openLocalLifecycleStore } from '../org/local/lifecycle-local-store.js';
import { openLocalGateway } from '../org/local/local-gateway.js';
import {
  ForeignDatabaseError,
  NotADatabaseError,
  StoreSchemaError,
} from '../org/local/migrations.js';
import {
  namesFolder,
  folderPathProblem,
  rejectBrokenLink,
  StoreFolderError,
  StorePathError,
} from '../org/local/store-path.js';
import type { SalesforceCallSettings } from '../org/salesforce/config.js';
import { toGatewayError } from '../org/salesforce/gateway-errors.js';
import { SalesforceLifecycleStore } from '../org/salesforce/lifecycle-salesforce-store.js';
import { SalesforceGateway } from '../org/salesforce/salesforce-gateway.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('cosell-stages', 'cosell.store');

/** The parsed values of `storeFlags`. */
export interface StoreFlagValues {
  local: boolean;
  db: string;
  'source-dir': string;
  /** The typed alias or username, not yet looked up. */
  'target-org'?: string;
  'api-version'?: string;
}

/** The store a command reads, with what it needs to name it and close it. */
export interface CommandStore {
  gateway: OrgGateway;
  /** The store file's path, or the org's username. */
  name: string;
  /**
   * The source of the stage models: the absolute --source-dir folder with
   * --local, or the org's username, whose custom metadata records they are.
   */
  modelOrigin: string;
  logger: Logger;
  /** Open deals, for a progress bar's total: one count query. */
  countOpenDeals(): Promise<number>;
  /** Opens the registration and whole-org reads on the same store. */
  openLifecycleStore(options: { schema: OrgSchema; now: () => Date }): {
    store: LifecycleStore;
    close(): Promise<void>;
  };
  close(): Promise<void>;
}

/**
 * Creates the commands' diagnostic logger: JSON lines on stderr, so stdout
 * keeps only the command's output. The level comes from `commandLogLevel`,
 * which raises `InvalidLogLevelVariableError` on an invalid COSELL_LOG_LEVEL.
 */
export function createCommandLogger(): Logger {
  return createLogger(commandLogLevel(), process.stderr);
}

/**
 * Returns the commands' log level from `COSELL_LOG_LEVEL`, or warn when it is
 * unset or empty. Raises `InvalidLogLevelVariableError` when the middleware's
 * check of COSELL_LOG_LEVEL rejects its value, so a command that logs nothing
 * calls it to fail like the others.
 */
export function commandLogLevel(): string {
  // An unset or empty variable skips the middleware's check, because its
  // default level is info, not the commands' warn.
  const raw = process.env['COSELL_LOG_LEVEL'];
  if (raw === undefined || raw === '') return 'warn';
  try {
    return loadConfigVariables(['COSELL_LOG_LEVEL']).COSELL_LOG_LEVEL;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw messages.createError(
      'error.InvalidLogLevelVariable',
      [error.problems.join('; ')],
      [],
      error,
    );
  }
}

/**
 * Call settings for an org reached through an sf command: the defaults of the
 * middleware's `COSELL_SF_*` variables. The connection that `@salesforce/core`
 * hands the command renews its own session, so no token source is needed.
 */
function orgCallSettings(apiVersion: string): SalesforceCallSettings {
  return {
    apiVersion,
    timeoutMs: 30_000,
    maxRetries: 3,
    retryMinMs: 500,
    retryMaxMs: 8_000,
    bulkPollMinMs: 1_000,
    bulkPollMaxMs: 15_000,
    bulkTimeoutMs: 30 * 60_000,
    bulkPageSize: 10_000,
  };
}

/**
 * Opens the store the flags name. `--local` opens the SQLite file `--db` with
 * the objects and models of `--source-dir`. Otherwise `--target-org`, typed or
 * the default org, opens the org through the Salesforce gateway. Fails when
 * both or neither are named, when `--db` was typed (`dbGiven`) without
 * `--local`, and when the local file does not exist, so that a typo in `--db`
 * never creates an empty store. The flag checks run before any org is looked up.
 */
export async function openCommandStore(
  flags: StoreFlagValues,
  logger: Logger,
  given: { dbGiven: boolean },
): Promise<CommandStore> {
  const aliasOrUsername = flags['target-org'];
  if (flags.local && aliasOrUsername !== undefined) {
    throw messages.createError('error.LocalAndOrg', [aliasOrUsername]);
  }
  if (!flags.local && given.dbGiven) {
    const org =
      aliasOrUsername === undefined
        ? 'the default org (sf config get target-org)'
        : `the org ${aliasOrUsername}`;
    throw messages.createError('error.DbWithoutLocal', [flags.db, org]);
  }
  if (flags.local) return openLocalStore(flags, logger);
  const org =
    aliasOrUsername === undefined
      ? await defaultOrg()
      : await Org.create({ aliasOrUsername });
  if (org) return openOrgStore(org, flags['api-version'], logger);
  throw messages.createError('error.NoStore');
}

/**
 * Opens the default org (`sf config set target-org=ALIAS`, or the
 * SF_TARGET_ORG variable), or returns undefined when none is set. A default
 * org that is set but not authorized fails with the error of @salesforce/core.
 */
async function defaultOrg(): Promise<Org | undefined> {
  const config = await ConfigAggregator.create();
  const value = config.getPropertyValue<string>(OrgConfigProperties.TARGET_ORG);
  return value ? Org.create({ aliasOrUsername: value }) : undefined;
}

async function openLocalStore(
  flags: StoreFlagValues,
  logger: Logger,
): Promise<CommandStore> {
  // Resolving would turn an empty --db into the current folder.
  if (flags.db.trim() === '') {
    throw messages.createError('error.StoreUnusable', [
      JSON.stringify(flags.db),
      'is empty, not a file path',
    ]);
  }
  // Resolving would also drop a trailing separator, and open a file named like the folder.
  if (namesFolder(flags.db)) {
    throw messages.createError('error.StoreUnusable', [
      JSON.stringify(flags.db),
      folderPathProblem(flags.db),
    ]);
  }
  const dbPath = path.resolve(flags.db);
  const sourceDir = flags['source-dir'];
  await requirePackageFolder(sourceDir, '--source-dir');
  let gateway;
  try {
    rejectMissingStore(dbPath);
    gateway = await openLocalGateway({ dbPath, packageDir: sourceDir, logger });
  } catch (error) {
    if (error instanceof StoreFolderError) {
      throw messages.createError(
        'error.StoreIsFolder',
        [dbPath, path.join(dbPath, 'cosell.db')],
        [],
        error,
      );
    }
    if (error instanceof StorePathError) {
      throw messages.createError(
        'error.StoreUnusable',
        [dbPath, error.problem],
        [],
        error,
      );
    }
    if (error instanceof ForeignDatabaseError) {
      throw messages.createError(
        'error.ForeignStore',
        [dbPath, error.tables.join(', ')],
        [],
        error,
      );
    }
    if (error instanceof NotADatabaseError) {
      throw messages.createError('error.NotADatabase', [dbPath], [], error);
    }
    if (error instanceof StoreSchemaError) {
      throw messages.createError(
        'error.StoreSchemaMismatch',
        [dbPath, sourceDir, error.problems.join('; ')],
        [],
        error,
      );
    }
    throw sourceError(error, sourceDir);
  }
  return {
    gateway,
    name: dbPath,
    modelOrigin: path.resolve(sourceDir),
    logger,
    countOpenDeals: () =>
      gateway.countRecords('Opportunity', { IsClosed: false }),
    openLifecycleStore: ({ schema, now }) => {
      const lifecycle = openLocalLifecycleStore({
        dbPath,
        schema,
        packageDir: sourceDir,
        now,
      });
      return { store: lifecycle, close: () => lifecycle.close() };
    },
    close: () => gateway.close(),
  };
}

/**
 * Rejects a store path that leads to no file, so that opening never creates a
 * store. A broken link is named as one; opening reports the other path problems.
 */
function rejectMissingStore(dbPath: string): void {
  let stats: Stats;
  try {
    stats = statSync(dbPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return;
    rejectBrokenLink(dbPath);
    throw messages.createError('error.StoreNotFound', [dbPath]);
  }
  // Opening would migrate an empty file into a new, empty store. A store the
  // middleware created always has tables.
  if (stats.isFile() && (stats.size === 0 || hasNoTables(dbPath))) {
    throw messages.createError('error.EmptyStore', [dbPath]);
  }
}

/**
 * Returns true for a SQLite database without tables, such as a copy of a store's
 * main file made while its data was still in the -wal file. Any other file, or
 * one that cannot be opened, returns false and meets the later checks.
 */
function hasNoTables(dbPath: string): boolean {
  let db: Database.Database | undefined;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true });
    const tables = db
      .prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .get() as number;
    return tables === 0;
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

function openOrgStore(
  org: Org,
  apiVersion: string | undefined,
  logger: Logger,
): CommandStore {
  const connection = org.getConnection(apiVersion);
  const gateway = new SalesforceGateway({
    connection,
    settings: orgCallSettings(connection.getApiVersion()),
    logger,
  });
  const name = org.getUsername() ?? org.getOrgId();
  return {
    gateway,
    name,
    modelOrigin: name,
    logger,
    async countOpenDeals() {
      try {
        const result = await connection.query(
          'SELECT COUNT() FROM Opportunity WHERE IsClosed = false',
        );
        return result.totalSize;
      } catch (error) {
        throw storeError(toGatewayError('count open deals', error), name);
      }
    },
    openLifecycleStore: ({ now }) => ({
      store: new SalesforceLifecycleStore(gateway, { now }),
      close: async () => {},
    }),
    close: () => gateway.close(),
  };
}

/**
 * Reads the schema and stage models from the store and builds the use-case
 * context. A model that does not load fails naming the folder or org that the
 * models were read from.
 */
export async function loadCommandContext(
  store: CommandStore,
  timeZone: string,
): Promise<CosellContext> {
  try {
    return await createCosellContext(store.gateway, {
      timeZone,
      logger: store.logger,
    });
  } catch (error) {
    throw storeError(error, store.name, store.modelOrigin);
  }
}

/**
 * Maps an unreadable package folder to its message, which names the flag and
 * the absolute path that were read. Other errors pass through.
 */
export function sourceError(
  error: unknown,
  sourceDir: string,
  flag = '--source-dir',
): unknown {
  if (error instanceof ForceAppError) {
    const folder = path.resolve(sourceDir);
    return messages.createError(
      'error.SourceUnreadable',
      [flag, folder, error.message],
      [flag, folder],
      error,
    );
  }
  return error;
}

/**
 * Maps the errors any command can meet while reading a store: models that do
 * not load and a store that cannot be read. Other errors pass through unchanged.
 * `modelOrigin` names the folder or org of the models, and defaults to the store.
 */
export function storeError(
  error: unknown,
  storeName: string,
  modelOrigin = storeName,
): unknown {
  if (error instanceof ModelLoadError) {
    return messages.createError(
      'error.ModelsInvalid',
      [modelOrigin, error.message],
      [],
      error,
    );
  }
  if (error instanceof GatewayError) {
    return messages.createError(
      'error.StoreUnavailable',
      [storeName, error.message],
      [],
      error,
    );
  }
  return error;
}
