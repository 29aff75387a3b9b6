/**
 * Requests per second and p99 latency of a mixed request-and-confirm workload on
 * fresh deals, with authentication, validation and logging on, against a bare express
 * JSON handler measured in the same run. Each round runs both servers once, the
 * middleware on a fresh copy of the prepared store, and each keeps its best round.
 * Each server first gets the same number of unmeasured warm-up calls, so the
 * figures are of steady state, not of V8 still compiling the hot code.
 *
 * A third server, the middleware's HTTP stack with routes that send recorded
 * replies, takes the same calls, so the gap to the bare handler splits into the
 * HTTP layers' share and the store's.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createCosellContext } from '../../middleware/src/bootstrap.js';
import { seedDemo } from '../../middleware/src/demo/seed-demo.js';
import { createLogger } from '../../middleware/src/logger.js';
import { openLocalGateway } from '../../middleware/src/org/local/local-gateway.js';
import { confirmRequest } from '../../middleware/src/app/answer-request.js';
import { requestStage } from '../../middleware/src/app/request-stage.js';
import type { CosellContext } from '../../middleware/src/app/cosell-context.js';
import type { LocalGateway } from '../../middleware/src/org/local/local-gateway.js';
import { createDemoDeal } from '../demo/demo-deal.js';
import type { DemoDeal } from '../demo/demo-deal.js';
import { REPLY_PREFIX } from './recorded-replies.js';
import type { RecordedReplies } from './recorded-replies.js';

const CHILD = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'http-server-child.js',
);
const PACKAGE_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../force-app',
);

interface ServerRound {
  requestsPerSecond: number;
  p99Ms: number;
  /** CPU time of the server process (all its threads) per call, or null off Linux. */
  cpuMsPerCall: number | null;
}

export interface HttpBenchResult {
  connections: number;
  /** Unmeasured warm-up calls that each server received first. */
  warmUpRequests: number;
  requests: number;
  rounds: number;
  /** The round with the most requests per second, with errors summed over rounds. */
  cosell: ServerRound & { errors: number; non2xx: number };
  bare: ServerRound;
  /** The middleware's HTTP stack with recorded replies, without the store. */
  stack: ServerRound & { errors: number; non2xx: number };
  share: number;
  /** The stack's requests per second as a share of the bare handler's. */
  stackShare: number;
  /** Every round, in order, for the spread between them. */
  perRound: Array<{
    cosell: ServerRound;
    bare: ServerRound;
    stack: ServerRound;
  }>;
}

async function startChild(
  mode: 'cosell' | 'bare' | 'stack',
  env: NodeJS.ProcessEnv,
) {
  // COSELL_BENCH_NODE_FLAGS passes flags such as --cpu-prof to the server processes.
  const flags = (process.env['COSELL_BENCH_NODE_FLAGS'] ?? '')
    .split(' ')
    .filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...flags, CHILD, mode], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    try {
      const parsed = JSON.parse(line) as { url?: string; msg?: string };
      if (parsed.url && (mode === 'bare' || !parsed.msg)) {
        // The middleware keeps logging to stdout; drain it to /dev/null from here on.
        lines.removeAllListeners();
        child.stdout!.resume();
        return { child, url: parsed.url };
      }
    } catch {
      // Log lines from pino are JSON too; anything else is ignored.
    }
  }
  throw new Error(`the ${mode} benchmark server exited before it listened`);
}

/** Stops a server and waits for its exit, so it uses no CPU in the next run. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Completed requests per second over the whole run. autocannon's
 * `requests.average` averages whole-second buckets, which misstates short runs.
 */
function rate(result: autocannon.Result): number {
  return Math.round((result.requests.total / result.duration) * 10) / 10;
}

/**
 * CPU milliseconds a process has used, user and system, from /proc (Linux only).
 * The server's own `process.cpuUsage()` would need a channel back to this process.
 */
function processCpuMs(pid: number | undefined): number | null {
  const file = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(file)) return null;
  const stat = readFileSync(file, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  // The fields count clock ticks, and this assumes USER_HZ = 100, as common Linux builds set it.
  return ticks * 10;
}

function cpuPerCall(
  before: number | null,
  after: number | null,
  calls: number,
): number | null {
  if (before === null || after === null || calls === 0) return null;
  return Math.round(((after - before) / calls) * 1000) / 1000;
}

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    // autocannon ends a run at its next sample tick, so the default 1 s interval
    // adds up to a second to `duration`, and 10 ms keeps that error small.
    autocannon({ sampleInt: 10, ...options }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

/**
 * Sends each deal's request and its confirmation, each deal once. `prefix` is
 * `/v1`, or the recorded-reply routes' path for the stack server.
 */
function requestAndConfirm(opts: {
  url: string;
  token: string;
  deals: DemoDeal[];
  connections: number;
  prefix: string;
}): Promise<autocannon.Result> {
  const { token, deals, prefix } = opts;
  let next = 0;
  const headers = (user: string) => ({
    authorization: `Bearer ${token}`,
    'x-cosell-acting-user': user,
    'content-type': 'application/json',
  });
  // Each deal is used once: one request and its confirmation, so every call moves a
  // fresh deal and none hits a criterion that the next stage needs.
  return run({
    url: opts.url,
    connections: opts.connections,
    amount: deals.length * 2,
    requests: [
      {
        method: 'POST',
        setupRequest: (request, raw: object) => {
          const context = raw as Record<string, unknown>;
          const deal = deals[next % deals.length]!;
          next += 1;
          context['deal'] = deal;
          return {
            ...request,
            path: `${prefix}/deals/${deal.dealId}/stage-requests`,
            headers: headers(deal.vendorSeller),
            body: JSON.stringify({ kind: 'Advance' }),
          };
        },
        onResponse: (_status, body, raw: object) => {
          const context = raw as Record<string, unknown>;
          try {
            context['requestId'] = (JSON.parse(body) as { id?: string }).id;
          } catch {
            context['requestId'] = undefined;
          }
        },
      },
      {
        method: 'POST',
        setupRequest: (request, raw: object) => {
          const context = raw as Record<string, unknown>;
          const deal = context['deal'] as DemoDeal;
          return {
            ...request,
            path: `${prefix}/stage-requests/${String(context['requestId'])}/confirm`,
            headers: headers(deal.partnerSeller),
            body: '{}',
          };
        },
      },
    ],
  });
}

/**
 * Runs the request-and-confirm workload once against a middleware on `dbPath`, or
 * against the stack server when `replies` are given: first on the warm-up deals,
 * unmeasured, then on the measured ones.
 */
async function runCosellRound(opts: {
  dbPath: string;
  token: string;
  warmUpDeals: DemoDeal[];
  deals: DemoDeal[];
  connections: number;
  replies?: RecordedReplies;
}) {
  const cosell = await startChild(opts.replies ? 'stack' : 'cosell', {
    COSELL_DB_PATH: opts.dbPath,
    COSELL_API_TOKEN: opts.token,
    COSELL_LOG_LEVEL: 'info',
    COSELL_PACKAGE_DIR: PACKAGE_DIR,
    ...(opts.replies
      ? { COSELL_BENCH_REPLIES: JSON.stringify(opts.replies) }
      : {}),
  });
  try {
    const call = (deals: DemoDeal[]) =>
      requestAndConfirm({
        url: cosell.url,
        token: opts.token,
        deals,
        connections: opts.connections,
        prefix: opts.replies ? `/v1${REPLY_PREFIX}` : '/v1',
      });
    const warmUp = await call(opts.warmUpDeals);
    const cpuBefore = processCpuMs(cosell.child.pid);
    const result = await call(opts.deals);
    const cpuAfter = processCpuMs(cosell.child.pid);
    return {
      round: {
        requestsPerSecond: rate(result),
        p99Ms: result.latency.p99,
        cpuMsPerCall: cpuPerCall(cpuBefore, cpuAfter, result.requests.total),
      },
      errors: warmUp.errors + result.errors,
      non2xx: warmUp.non2xx + result.non2xx,
    };
  } finally {
    await stopChild(cosell.child);
  }
}

/**
 * Runs the same number of calls against the bare express handler, after as many
 * unmeasured warm-up calls as the middleware had.
 */
async function runBareRound(opts: {
  warmUpCalls: number;
  calls: number;
  connections: number;
}): Promise<ServerRound> {
  const bare = await startChild('bare', {});
  try {
    const call = (amount: number) =>
      run({
        url: bare.url,
        connections: opts.connections,
        amount,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'Advance' }),
      });
    await call(opts.warmUpCalls);
    const cpuBefore = processCpuMs(bare.child.pid);
    const result = await call(opts.calls);
    const cpuAfter = processCpuMs(bare.child.pid);
    return {
      requestsPerSecond: rate(result),
      p99Ms: result.latency.p99,
      cpuMsPerCall: cpuPerCall(cpuBefore, cpuAfter, result.requests.total),
    };
  } finally {
    await stopChild(bare.child);
  }
}

/**
 * Records the bodies the middleware sends for one deal's stage request and its
 * confirmation, for the stack server to send.
 */
async function recordReplies(
  ctx: CosellContext,
  store: LocalGateway,
): Promise<RecordedReplies> {
  const deal = await createDemoDeal(store);
  const actor = (userId: string) => ({ callerId: 'bench', userId });
  const request = await requestStage(ctx, actor(deal.vendorSeller), {
    dealId: deal.dealId,
    kind: 'Advance',
  });
  const confirm = await confirmRequest(
    ctx,
    actor(deal.partnerSeller),
    request.body.id,
  );
  if (request.status !== 201 || confirm.status !== 200) {
    throw new Error(
      `recording the replies failed: the request returned ${request.status} and the confirmation ${confirm.status}, where 201 and 200 were expected`,
    );
  }
  return { request: request.body, confirm: confirm.body };
}

const share = (part: ServerRound, whole: ServerRound): number =>
  Math.round((part.requestsPerSecond / whole.requestsPerSecond) * 1000) / 1000;

const fastest = (rounds: ServerRound[]): ServerRound =>
  rounds.reduce((best, round) =>
    round.requestsPerSecond > best.requestsPerSecond ? round : best,
  );

export async function runHttpBench(opts: {
  deals: number;
  /** Deals moved before measuring, so V8 has compiled the hot code. */
  warmUpDeals: number;
  connections: number;
  rounds: number;
}): Promise<HttpBenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cosell-bench-http-'));
  const templatePath = path.join(dir, 'template.db');
  const token = randomBytes(32).toString('hex');
  const logger = createLogger('silent');
  try {
    const store = await openLocalGateway({
      dbPath: templatePath,
      packageDir: PACKAGE_DIR,
      logger,
    });
    const ctx = await createCosellContext(store, { timeZone: 'UTC', logger });
    await seedDemo(ctx, store);
    const allDeals: DemoDeal[] = [];
    for (let i = 0; i < opts.warmUpDeals + opts.deals; i += 1)
      allDeals.push(await createDemoDeal(store));
    const warmUpDeals = allDeals.slice(0, opts.warmUpDeals);
    const deals = allDeals.slice(opts.warmUpDeals);
    const replies = await recordReplies(ctx, store);
    // Closing checkpoints the WAL into the file, so a plain copy is the whole store.
    await store.close();

    const perRound: HttpBenchResult['perRound'] = [];
    let errors = 0;
    let non2xx = 0;
    let stackErrors = 0;
    let stackNon2xx = 0;
    for (let round = 0; round < opts.rounds; round += 1) {
      const dbPath = path.join(dir, `round-${round}.db`);
      copyFileSync(templatePath, dbPath);
      const cosell = await runCosellRound({
        dbPath,
        token,
        warmUpDeals,
        deals,
        connections: opts.connections,
      });
      errors += cosell.errors;
      non2xx += cosell.non2xx;
      const bare = await runBareRound({
        warmUpCalls: warmUpDeals.length * 2,
        calls: deals.length * 2,
        connections: opts.connections,
      });
      // The stack reads only the model from its store, so it reuses the round's copy.
      const stack = await runCosellRound({
        dbPath,
        token,
        warmUpDeals,
        deals,
        connections: opts.connections,
        replies,
      });
      stackErrors += stack.errors;
      stackNon2xx += stack.non2xx;
      perRound.push({ cosell: cosell.round, bare, stack: stack.round });
    }
    const cosell = fastest(perRound.map((r) => r.cosell));
    const bare = fastest(perRound.map((r) => r.bare));
    const stack = fastest(perRound.map((r) => r.stack));
    return {
      connections: opts.connections,
      warmUpRequests: warmUpDeals.length * 2,
      requests: deals.length * 2,
      rounds: opts.rounds,
      cosell: { ...cosell, errors, non2xx },
      bare,
      stack: { ...stack, errors: stackErrors, non2xx: stackNon2xx },
      share: share(cosell, bare),
      stackShare: share(stack, bare),
      perRound,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runHttpBench({
    deals: 6000,
    warmUpDeals: 1500,
    connections: 10,
    rounds: 3,
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
