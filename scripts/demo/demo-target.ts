import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { PACKAGE_ROOT } from '../../middleware/src/config.js';
import { createLogger } from '../../middleware/src/logger.js';
import { isStoreOpen } from '../../middleware/src/org/local/store-path.js';
import { startServer } from '../../middleware/src/server.js';
import type { CleanupSteps } from './cleanup-steps.js';
import { DEMO_USERS } from './demo-deal.js';

/** The middleware the demo calls, and the store file it writes evidence into. */
export interface DemoTarget {
  url: string;
  token: string;
  dbPath: string;
}

/** A setting the demo cannot run with; `runDemo` prints the message and exits 2. */
export class DemoSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoSetupError';
  }
}

/**
 * Checks the middleware named by COSELL_URL: the URL is an http(s) URL,
 * COSELL_API_TOKEN and COSELL_DB_PATH are set, the store file exists and is open
 * in some process, the URL accepts connections, the middleware accepts the
 * token, and it finds the store file's newest stage request, all before the
 * demo writes anything. Raises `DemoSetupError` naming the
 * variable to fix.
 */
export async function connectToGivenMiddleware(
  env: NodeJS.ProcessEnv,
  baseUrl: string,
): Promise<DemoTarget> {
  // First, because a URL with a path would make the store check below blame
  // COSELL_DB_PATH for the 404s of that path.
  const url = parseHttpUrl(baseUrl);
  const token = env['COSELL_API_TOKEN'] ?? '';
  const dbPath = env['COSELL_DB_PATH'] ?? '';
  if (!token || !dbPath) {
    throw new DemoSetupError(
      "COSELL_URL is set, so the demo also needs COSELL_API_TOKEN (the middleware's token) " +
        'and COSELL_DB_PATH (its local store file). Set both, or unset COSELL_URL to let ' +
        'the demo start its own middleware.',
    );
  }
  let isFile = false;
  try {
    isFile = statSync(dbPath).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
  }
  if (!isFile) {
    // Opening a missing path would create an empty store that the middleware
    // never reads, so every call would fail with deal_not_found.
    const resolved = path.resolve(dbPath);
    const resolvedNote = resolved === dbPath ? '' : ` (${resolved})`;
    throw new DemoSetupError(
      `COSELL_DB_PATH=${JSON.stringify(dbPath)}${resolvedNote} does not exist or is not a file. ` +
        `It must be the store file of the middleware at COSELL_URL=${url}; set it to that ` +
        'file, or unset COSELL_URL to let the demo start its own middleware.',
    );
  }
  let tokenStatus: number;
  try {
    const response = await fetch(`${url}/healthz`);
    await response.body?.cancel();
    // Every /v1 path checks the bearer token first and returns 401 for a wrong one.
    const checked = await fetch(`${url}/v1/stage-models`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await checked.body?.cancel();
    tokenStatus = checked.status;
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause;
    const reason = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
    throw new DemoSetupError(
      `Cannot connect to the middleware at COSELL_URL=${url}${reason}. Start it with ` +
        '"npm start", or unset COSELL_URL to let the demo start its own middleware.',
    );
  }
  if (tokenStatus === 401) {
    throw new DemoSetupError(
      `The middleware at COSELL_URL=${url} rejected COSELL_API_TOKEN (401). Set it to the ` +
        'token that middleware was started with (COSELL_API_TOKEN, or the token file its ' +
        'start log names), or unset COSELL_URL to let the demo start its own middleware.',
    );
  }
  // A store no process has open is not the running middleware's.
  if (!isStoreOpen(dbPath)) {
    throw new DemoSetupError(
      `COSELL_DB_PATH=${JSON.stringify(dbPath)} is not open in any process, so it is not ` +
        `the store of the middleware at COSELL_URL=${url}. ${STORE_FIX}`,
    );
  }
  await rejectOtherStore(url, token, dbPath);
  return { url, token, dbPath };
}

const STORE_FIX =
  'Set it to the store file that middleware was started with (its start log names it), ' +
  'or unset COSELL_URL to let the demo start its own middleware.';

/**
 * Reads the newest stage request of the store file through the middleware, and
 * raises `DemoSetupError` when the middleware does not find it, so the demo
 * never writes into the store of another running middleware. Demo stores share
 * the Ids of their deals, but request Ids are random.
 */
async function rejectOtherStore(
  url: string,
  token: string,
  dbPath: string,
): Promise<void> {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  let requestId: string | undefined;
  try {
    requestId = db
      .prepare(
        'SELECT "Id" FROM "Stage_Request__c" ORDER BY "CreatedDate" DESC, "Id" LIMIT 1',
      )
      .pluck()
      .get() as string | undefined;
  } finally {
    db.close();
  }
  // A store without requests has no seeded demo either, so the walk-through's
  // first call fails and names the missing demo user or deal.
  if (requestId === undefined) return;
  const response = await fetch(`${url}/v1/stage-requests/${requestId}`, {
    headers: {
      authorization: `Bearer ${token}`,
      'x-cosell-acting-user': DEMO_USERS.channelManager,
    },
  });
  await response.body?.cancel();
  if (!response.ok) {
    throw new DemoSetupError(
      `COSELL_DB_PATH=${JSON.stringify(dbPath)} is not the store of the middleware at ` +
        `COSELL_URL=${url}: the middleware answers ${response.status} for the stage request ` +
        `${requestId} of that file. ${STORE_FIX}`,
    );
  }
}

/**
 * Returns the origin of COSELL_URL, such as http://127.0.0.1:3000, or raises
 * `DemoSetupError` unless it is an http(s) URL with a host and no spaces,
 * credentials, path other than `/`, query or fragment. The demo appends the
 * API paths to it, so a path such as /v1 would make every call a 404.
 */
function parseHttpUrl(value: string): string {
  const setting = `COSELL_URL=${JSON.stringify(redactUserInfo(value).slice(0, 200))}`;
  const fix =
    'Set it to the address the middleware logs when it starts, such as http://127.0.0.1:3000.';
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (
    !parsed ||
    (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') ||
    parsed.hostname === ''
  ) {
    throw new DemoSetupError(`${setting} is not an http or https URL. ${fix}`);
  }
  // new URL() trims leading and trailing spaces, and encodes inner ones in the path.
  if (/\s/.test(value)) {
    throw new DemoSetupError(
      `${setting} contains a space or other whitespace. ${fix}`,
    );
  }
  const extra =
    parsed.username || parsed.password
      ? 'a user name or password'
      : parsed.pathname !== '/'
        ? `the path ${parsed.pathname}`
        : parsed.search || value.includes('?')
          ? 'a query'
          : parsed.hash || value.includes('#')
            ? 'a fragment'
            : undefined;
  if (extra) {
    throw new DemoSetupError(
      `${setting} has ${extra}, but the demo needs only the scheme, host and port, such as ${parsed.origin}. ${fix}`,
    );
  }
  return parsed.origin;
}

/**
 * Returns `value` with the password of each `//user:password@` replaced by
 * `***`, and a user name without a password (often a token) replaced too, so
 * that messages never echo URL credentials. It works on the text, because a
 * value that is not a valid URL may still contain them.
 */
function redactUserInfo(value: string): string {
  return value.replace(/\/\/([^/?#\s]*)@/g, (_match, userInfo: string) => {
    const colon = userInfo.indexOf(':');
    const user = colon === -1 ? '***' : `${userInfo.slice(0, colon)}:***`;
    return `//${user}@`;
  });
}

/**
 * Starts a middleware on a free loopback port with a store in a new temporary
 * folder. It adds the steps that stop the middleware and delete the folder to
 * `cleanup` as soon as each exists, so a signal during the start deletes the
 * folder too.
 */
export async function startOwnMiddleware(
  env: NodeJS.ProcessEnv,
  cleanup: CleanupSteps,
): Promise<DemoTarget> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cosell-demo-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  cleanup.add(removeDir);
  // Also on an exit before the cleanup steps run, such as after an uncaught error.
  process.once('exit', removeDir);
  const dbPath = path.join(dir, 'demo.db');
  const token = randomBytes(32).toString('hex');
  const level = env['COSELL_LOG_LEVEL'] ?? 'error';
  const running = await startServer(
    {
      PORT: '0',
      COSELL_DB_PATH: dbPath,
      COSELL_API_TOKEN: token,
      COSELL_LOG_LEVEL: level,
      COSELL_PACKAGE_DIR: path.join(PACKAGE_ROOT, 'force-app'),
      COSELL_TIME_ZONE: env['COSELL_TIME_ZONE'] ?? 'UTC',
    },
    createLogger(level),
  );
  cleanup.add(() => running.close());
  return { url: running.url, token, dbPath };
}
