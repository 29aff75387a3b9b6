/**
 * Requests per second and p99 latency of a mixed request-and-confirm workload on
 * fresh deals, with authentication, validation and logging on, against a bare express
 * JSON handler measured in the same run.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createCosellContext } from '../../middleware/src/bootstrap.js';
import { seedDemo } from '../../middleware/src/demo/seed-demo.js';
import { createLogger } from '../../middleware/src/logger.js';
import { openLocalGateway } from '../../middleware/src/org/local/local-gateway.js';
import { createDemoDeal } from '../demo/demo-deal.js';
import type { DemoDeal } from '../demo/demo-deal.js';

const CHILD = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'http-server-child.js',
);
const PACKAGE_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../force-app',
);

export interface HttpBenchResult {
  connections: number;
  requests: number;
  cosell: {
    requestsPerSecond: number;
    p99Ms: number;
    errors: number;
    non2xx: number;
  };
  bare: { requestsPerSecond: number; p99Ms: number };
  share: number;
}

async function startChild(mode: 'cosell' | 'bare', env: NodeJS.ProcessEnv) {
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

/**
 * Completed requests per second over the whole run. autocannon's
 * `requests.average` averages whole-second buckets, which misstates short runs.
 */
function rate(result: autocannon.Result): number {
  return Math.round((result.requests.total / result.duration) * 10) / 10;
}

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

export async function runHttpBench(opts: {
  deals: number;
  connections: number;
}): Promise<HttpBenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cosell-bench-http-'));
  const dbPath = path.join(dir, 'bench.db');
  const token = randomBytes(32).toString('hex');
  const logger = createLogger('silent');
  const store = await openLocalGateway({
    dbPath,
    packageDir: PACKAGE_DIR,
    logger,
  });
  const ctx = await createCosellContext(store, { timeZone: 'UTC', logger });
  await seedDemo(ctx, store);
  const deals: DemoDeal[] = [];
  for (let i = 0; i < opts.deals; i += 1)
    deals.push(await createDemoDeal(store));
  await store.close();

  const cosell = await startChild('cosell', {
    COSELL_DB_PATH: dbPath,
    COSELL_API_TOKEN: token,
    COSELL_LOG_LEVEL: 'info',
    COSELL_PACKAGE_DIR: PACKAGE_DIR,
  });
  const bare = await startChild('bare', {});
  try {
    let next = 0;
    const headers = (user: string) => ({
      authorization: `Bearer ${token}`,
      'x-cosell-acting-user': user,
      'content-type': 'application/json',
    });
    // Each deal is used once: one request and its confirmation, so every call moves a
    // fresh deal and none hits a criterion that the next stage needs.
    const cosellResult = await run({
      url: cosell.url,
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
              path: `/v1/deals/${deal.dealId}/stage-requests`,
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
              path: `/v1/stage-requests/${String(context['requestId'])}/confirm`,
              headers: headers(deal.partnerSeller),
              body: '{}',
            };
          },
        },
      ],
    });
    const bareResult = await run({
      url: bare.url,
      connections: opts.connections,
      amount: deals.length * 2,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'Advance' }),
    });
    return {
      connections: opts.connections,
      requests: deals.length * 2,
      cosell: {
        requestsPerSecond: rate(cosellResult),
        p99Ms: cosellResult.latency.p99,
        errors: cosellResult.errors,
        non2xx: cosellResult.non2xx,
      },
      bare: {
        requestsPerSecond: rate(bareResult),
        p99Ms: bareResult.latency.p99,
      },
      share: rate(cosellResult) / rate(bareResult),
    };
  } finally {
    cosell.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runHttpBench({ deals: 6000, connections: 10 });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
