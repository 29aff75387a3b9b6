import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pino } from 'pino';
import type { Logger } from 'pino';
import {
  expireDueRequests,
  purgeExpiredIdempotency,
} from './app/expire-requests.js';
import type { LifecycleContext } from './app/lifecycle/lifecycle-context.js';
import { expireDueRegistrations } from './app/lifecycle/registration-expiry.js';
import { warnStagesNotInModels } from './app/stages-not-in-model.js';
import {
  createCosellContext,
  resolveLocalApiToken,
  TokenFileError,
} from './bootstrap.js';
import { ConfigError, loadBaseConfig, requirePackageDir } from './config.js';
import type { BaseConfig } from './config.js';
import { DemoSeedError } from './demo/seed-demo.js';
import { seedDemoOnStart } from './demo/seed-on-start.js';
import { ModelLoadError } from './domain/stage-model.js';
import { ForceAppError } from './org/force-app/index.js';
import { StoreSchemaError } from './org/local/migrations.js';
import {
  rejectStoreFolder,
  StoreFolderError,
  StorePathError,
} from './org/local/store-path.js';
import { DEMO_CHANNEL_MANAGER_ID, hasDemoData } from './demo/demo-store.js';
import { createApp } from './http/app.js';
import { problem } from './http/problem.js';
import { StoreReadiness } from './http/store-readiness.js';
import { handleClientErrors } from './http/client-error.js';
import { openLifecycle } from './lifecycle-setup.js';
import { noteStartFiles } from './start-files.js';
import { createLogger } from './logger.js';
import { LocalGateway, openLocalGateway } from './org/local/local-gateway.js';
import type { OrgGateway } from './org/gateway.js';
import {
  loadSalesforceConfig,
  openSalesforceGateway,
  SalesforceStartError,
  type SalesforceConfig,
} from './org/salesforce/index.js';

export interface RunningServer {
  server: Server;
  url: string;
  logger: Logger;
  close(): Promise<void>;
}

/** A start that SIGINT or SIGTERM stopped before it finished. */
export class StartInterruptedError extends Error {
  constructor(
    readonly signal: NodeJS.Signals,
    /** The exit code of a process that a signal stopped: 128 plus the signal number. */
    readonly exitCode: number,
  ) {
    super(`The start was stopped by ${signal}`);
    this.name = 'StartInterruptedError';
  }
}

/**
 * Starts the middleware with the given environment; used by `npm start` and
 * tests. Aborting `options.signal` before the start finishes closes the store
 * at once, so the start fails at its next step, and rejects with the abort
 * reason once the start removed the files it created.
 * NOTE: a step that waits on the Salesforce org is not cut short, so the
 * rejection waits for that request to finish or time out.
 */
export async function startServer(
  env: NodeJS.ProcessEnv = process.env,
  logger?: Logger,
  options: { signal?: AbortSignal } = {},
): Promise<RunningServer> {
  const { signal } = options;
  const config = loadBaseConfig(env);
  const log = logger ?? createLogger(config.COSELL_LOG_LEVEL);
  const startFiles = noteStartFiles(config);
  const opened = new OpenedParts(log);
  // The steps log through a child logger that an abort limits to warnings and
  // errors, so a step still under way logs no progress after the stop.
  const stepLog = log.child({});
  const closeOnAbort = () => {
    if (stepLog.isLevelEnabled('info')) stepLog.level = 'warn';
    void opened.closeAll();
  };
  signal?.addEventListener('abort', closeOnAbort, { once: true });
  try {
    return await startOnStore(config, env, stepLog, opened, signal);
  } catch (error) {
    // A start that fails after opening the store (an unknown COSELL_NEW_DEAL_STAGE,
    // a port in use, a signal) closes what it opened and removes the files it created.
    await opened.closeAll();
    const removed = startFiles.removeNew();
    if (signal?.aborted) logStoppedStart(log, config, removed);
    throw signal?.aborted ? signal.reason : error;
  } finally {
    signal?.removeEventListener('abort', closeOnAbort);
  }
}

/** Logs the files a stopped start removed, or that it kept the existing store. */
function logStoppedStart(
  log: Logger,
  config: BaseConfig,
  removed: string[],
): void {
  if (config.COSELL_STORE !== 'local') {
    log.info('the unfinished start stopped');
    return;
  }
  if (removed.length > 0) {
    log.info(
      { removed },
      'the unfinished start stopped and removed the files it created',
    );
    return;
  }
  log.info(
    { dbPath: config.COSELL_DB_PATH },
    'the unfinished start stopped and removed no files, because the store existed before it or another process has it open',
  );
}

interface Closable {
  close(): Promise<void>;
}

/**
 * The parts a start has opened, which `closeAll` closes in reverse order. A
 * part added after `closeAll`, by a step that was under way when the start was
 * aborted, is closed at once.
 */
class OpenedParts {
  private readonly parts: Closable[] = [];
  private closing: Promise<void> | undefined;

  constructor(private readonly log: Logger) {}

  add(part: Closable): void {
    if (this.closing) {
      void this.closePart(part);
      return;
    }
    this.parts.push(part);
  }

  closeAll(): Promise<void> {
    this.closing ??= this.closeParts();
    return this.closing;
  }

  private async closeParts(): Promise<void> {
    for (const part of this.parts.reverse()) {
      await this.closePart(part);
    }
  }

  private closePart(part: Closable): Promise<void> {
    return part.close().catch((closeError: unknown) => {
      this.log.warn({ err: closeError }, 'close after a failed start failed');
    });
  }
}

async function startOnStore(
  config: BaseConfig,
  env: NodeJS.ProcessEnv,
  log: Logger,
  opened: OpenedParts,
  signal: AbortSignal | undefined,
): Promise<RunningServer> {
  const { gateway, apiToken, tokenFile } = await openStore(config, env, log);
  opened.add(gateway);
  if (tokenFile) {
    // The token file is named per folder, not per store file.
    log.info(
      { tokenFile: path.resolve(tokenFile) },
      `every store file in ${path.dirname(path.resolve(tokenFile))} that starts without COSELL_API_TOKEN shares this API token file; ` +
        'give a store its own folder to give it its own token',
    );
  }
  // Bound before the models load and the demo org is seeded, so that a port
  // in use stops the start first. Until the app is attached, requests get a 503.
  const server = await listenWhileStarting(config.PORT, config.HOST, log);
  opened.add({ close: () => closeServer(server) });
  const ctx = await createCosellContext(gateway, {
    timeZone: config.COSELL_TIME_ZONE,
    logger: log,
  });
  // Before seeding, so that a COSELL_NEW_DEAL_STAGE the schema lacks seeds
  // nothing. A local store without deals gets the demo org below.
  const demoStore =
    gateway instanceof LocalGateway &&
    config.COSELL_SEED_DEMO &&
    ((await gateway.countRecords('Opportunity')) === 0 ||
      (await hasDemoData(gateway)));
  const lifecycle = openLifecycle(config, ctx, log, demoStore);
  opened.add(lifecycle);
  const logSeeding =
    gateway instanceof LocalGateway && config.COSELL_SEED_DEMO
      ? await seedDemoOnStart(ctx, gateway, log, config.COSELL_DB_PATH)
      : () => undefined;
  const app = createApp(ctx, {
    apiToken,
    rateLimitPerMinute: config.COSELL_RATE_LIMIT_PER_MINUTE,
    trustProxy: config.COSELL_TRUST_PROXY,
    extraRoutes: [lifecycle.routes],
    readiness: new StoreReadiness({
      check: () => gateway.checkAvailable(),
      logger: log,
    }),
  });
  const actingUser = await tryUser(gateway);
  // Checked here because the steps below do not use the store, so an abort,
  // which closes the store, would not make them fail.
  signal?.throwIfAborted();
  server.off('request', rejectWhileStarting);
  server.on('request', app);
  logSeeding();
  // Runs after listening because on an org it is a Bulk API job; it logs its
  // own failure, and close waits for it.
  const stageCheck = warnStagesNotInModels(ctx, lifecycle.context.store);
  const address = server.address() as AddressInfo;
  const url = `http://${config.HOST}:${address.port}`;
  const sweep = startExpirySweep(
    lifecycle.context,
    config.COSELL_EXPIRY_SWEEP_SECONDS,
  );
  log.info(
    {
      url,
      store: gateway.kind,
      dbPath: gateway.kind === 'local' ? config.COSELL_DB_PATH : undefined,
      tokenFile: tokenFile ?? undefined,
      try: tryCommand(url, tokenFile, actingUser),
    },
    `Cosell Stages middleware listening on ${url}`,
  );
  return {
    server,
    url,
    logger: log,
    close: async () => {
      clearInterval(sweep);
      await stageCheck;
      await closeServer(server);
      await lifecycle.close();
      await gateway.close();
      log.info('middleware stopped');
    },
  };
}

/**
 * Returns the acting user of the start log's `curl` line. That is the demo's
 * channel manager, who may read every deal, when the store has the demo org.
 * Otherwise it is a placeholder that names where to find a user Id.
 */
async function tryUser(gateway: OrgGateway): Promise<string> {
  if (gateway.kind === 'salesforce') {
    return '<Id of a user of the org with a Cosell permission set, shown in the URL of their record in Setup, Users>';
  }
  return (await hasDemoData(gateway))
    ? DEMO_CHANNEL_MANAGER_ID
    : '<Id of a User record in the store>';
}

/**
 * Builds the `curl` line of the start log. The token comes from the token
 * file or, when COSELL_API_TOKEN is set, from that variable.
 */
export function tryCommand(
  url: string,
  tokenFile: string | null,
  actingUser: string,
): string {
  // Absolute, so that the line also works from another folder than the start's.
  const token = tokenFile
    ? `$(cat ${path.resolve(tokenFile)})`
    : '$COSELL_API_TOKEN';
  return (
    `curl -H "Authorization: Bearer ${token}" ` +
    `-H "X-Cosell-Acting-User: ${actingUser}" ${url}/v1/stage-models`
  );
}

async function openStore(
  config: BaseConfig,
  env: NodeJS.ProcessEnv,
  log: Logger,
): Promise<{
  gateway: OrgGateway;
  apiToken: string;
  tokenFile: string | null;
}> {
  if (config.COSELL_STORE === 'salesforce') {
    // Production has no token file to fall back on: the Named Credential sends this token.
    const problems = config.COSELL_API_TOKEN
      ? []
      : [
          'COSELL_API_TOKEN is missing: COSELL_STORE=salesforce needs the token the Named Credential sends (generate one with `openssl rand -hex 32`)',
        ];
    let salesforce: SalesforceConfig | undefined;
    try {
      salesforce = loadSalesforceConfig(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
    if (problems.length > 0 || !salesforce || !config.COSELL_API_TOKEN) {
      throw new ConfigError(problems);
    }
    const gateway = await openSalesforceGateway(salesforce, log);
    return { gateway, apiToken: config.COSELL_API_TOKEN, tokenFile: null };
  }
  await requirePackageDir(config);
  rejectStoreFolder(config.COSELL_DB_PATH);
  const { token, tokenFile } = resolveLocalApiToken(config);
  const gateway = await openLocalGateway({
    dbPath: config.COSELL_DB_PATH,
    packageDir: config.COSELL_PACKAGE_DIR,
    logger: log,
  });
  return { gateway, apiToken: token, tokenFile };
}

/**
 * Binds an HTTP server to `port` on `host` (0 picks a free port) whose
 * requests get `rejectWhileStarting` until the caller attaches the app.
 */
export function listenWhileStarting(
  port: number,
  host: string,
  log: Logger,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(rejectWhileStarting);
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
    handleClientErrors(server, log);
  });
}

/** Sends a 503 problem for a request that arrives before the start has finished. */
function rejectWhileStarting(_req: IncomingMessage, res: ServerResponse): void {
  const body = problem(
    'store_unavailable',
    'The middleware is still starting, for example seeding the demo org.',
    'Try again in a few seconds.',
  );
  res.writeHead(503, {
    'Content-Type': 'application/problem+json',
    'Retry-After': '5',
  });
  res.end(JSON.stringify(body));
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
}

/**
 * Expires pending stage requests and deal registrations past their time, and
 * deletes expired idempotency records.
 */
function startExpirySweep(
  lc: LifecycleContext,
  seconds: number,
): NodeJS.Timeout | undefined {
  if (seconds === 0) return undefined;
  const timer = setInterval(() => {
    expireDueRequests(lc.cosell).catch((error: unknown) =>
      lc.cosell.logger.error({ err: error }, 'expiry sweep failed'),
    );
    purgeExpiredIdempotency(lc.cosell).catch((error: unknown) =>
      lc.cosell.logger.error({ err: error }, 'idempotency record purge failed'),
    );
    expireDueRegistrations(lc).catch((error: unknown) =>
      lc.cosell.logger.error(
        { err: error },
        'registration expiry sweep failed',
      ),
    );
  }, seconds * 1000);
  timer.unref();
  return timer;
}

/**
 * Returns the message for a start failure a user can fix (configuration, models, the
 * store file and its folder, the token file, the org's URLs, the port). An unexpected error returns
 * undefined, so it keeps its stack.
 */
function startFailureMessage(error: unknown): string | undefined {
  if (
    error instanceof ConfigError ||
    error instanceof ModelLoadError ||
    error instanceof ForceAppError ||
    error instanceof StoreSchemaError ||
    error instanceof StoreFolderError ||
    error instanceof StorePathError ||
    error instanceof TokenFileError ||
    error instanceof SalesforceStartError
  ) {
    return error.message;
  }
  if (error instanceof DemoSeedError) {
    return `${error.message} Or set COSELL_SEED_DEMO=false to start without the demo data.`;
  }
  const {
    code,
    syscall,
    path: failedPath,
  } = (error ?? {}) as {
    code?: unknown;
    syscall?: unknown;
    path?: unknown;
  };
  const detail = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    return (
      `COSELL_DB_PATH=${JSON.stringify(process.env['COSELL_DB_PATH'] ?? '.cosell/cosell.db')} ` +
      `cannot be used as the store (${code}: ${detail}). Point it at a writable ` +
      'file of this middleware, or at a new path to start an empty store.'
    );
  }
  if (
    typeof code === 'string' &&
    typeof syscall === 'string' &&
    typeof failedPath === 'string' &&
    isStorePath(failedPath, loadBaseConfig().COSELL_DB_PATH)
  ) {
    const value = process.env['COSELL_DB_PATH'] ?? '.cosell/cosell.db';
    return (
      `COSELL_DB_PATH=${JSON.stringify(value)} cannot be used as the store path: ` +
      `${syscall} ${failedPath} failed (${code}). Set COSELL_DB_PATH to a file in a ` +
      'folder you can write, such as .cosell/cosell.db. The folder is created when ' +
      'missing and also holds the generated API token file api-token.'
    );
  }
  if ((code === 'EADDRINUSE' || code === 'EACCES') && syscall === 'listen') {
    return `PORT=${JSON.stringify(process.env['PORT'] ?? '3000')} cannot be used (${code}); choose a free port, or 0 for any.`;
  }
  if (code === 'ENOTFOUND' || code === 'EADDRNOTAVAIL') {
    return `HOST=${JSON.stringify(process.env['HOST'] ?? '127.0.0.1')} is not an address of this machine (${code}); use 127.0.0.1 or 0.0.0.0.`;
  }
  return undefined;
}

/**
 * Returns true when a file-system error's path is the store file, a file beside
 * it (the token file, the -wal file) or a folder on the way to it, which start
 * creates.
 */
function isStorePath(failedPath: string, dbPath: string): boolean {
  const failed = path.resolve(failedPath);
  const folder = path.dirname(path.resolve(dbPath));
  if (path.dirname(failed) === folder) return true;
  const below = path.relative(failed, folder);
  return !below.startsWith('..') && !path.isAbsolute(below);
}

/**
 * Exits once the log destination has written its buffer and closed. pino would
 * otherwise flush it synchronously on exit, and when stdout is a pipe whose
 * reader has gone (as after `npm start | head`), that flush retries the failed
 * write forever. Ending the destination first lets pino see the broken pipe.
 */
function exitAfterFlush(logger: Logger, code: number): void {
  const destination = (logger as unknown as Record<symbol, unknown>)[
    pino.symbols.streamSym
  ] as NodeJS.WritableStream & { destroyed?: boolean };
  if (typeof destination.end !== 'function' || destination.destroyed) {
    process.exit(code);
  }
  destination.once('close', () => process.exit(code));
  destination.once('error', () => process.exit(code));
  destination.end();
}

/** The exit code after each stop signal during a start: 128 plus the signal number. */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** Closes a started middleware and exits 0, or 1 when closing fails. */
function stop(running: RunningServer, signal: NodeJS.Signals): void {
  running.logger.info({ signal }, 'stopping');
  running.close().then(
    () => exitAfterFlush(running.logger, 0),
    (error: unknown) => {
      running.logger.error({ err: error }, 'stop failed');
      exitAfterFlush(running.logger, 1);
    },
  );
}

/** Starts the middleware from the environment, as `npm start` does through start.ts. */
export async function main(): Promise<void> {
  let running: RunningServer | undefined;
  let logger: Logger | undefined;
  // Installed before the start, so that a signal during it removes the files
  // it created, as a failed start does.
  const startAbort = new AbortController();
  for (const [signal, exitCode] of Object.entries(SIGNAL_EXIT_CODES)) {
    const name = signal as NodeJS.Signals;
    process.once(name, () => {
      if (running) {
        stop(running, name);
        return;
      }
      logger?.info({ signal: name }, 'stopping the unfinished start');
      startAbort.abort(new StartInterruptedError(name, exitCode));
    });
  }
  try {
    logger = createLogger(loadBaseConfig().COSELL_LOG_LEVEL);
    running = await startServer(process.env, logger, {
      signal: startAbort.signal,
    });
  } catch (error) {
    if (error instanceof StartInterruptedError && logger) {
      exitAfterFlush(logger, error.exitCode);
      return;
    }
    const message = startFailureMessage(error);
    if (message) {
      process.stderr.write(`${message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

if (
  process.argv[1] &&
  import.meta.url === new URL(`file://${process.argv[1]}`).href
) {
  await main();
}
