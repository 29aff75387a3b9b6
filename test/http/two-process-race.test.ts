import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDemoDeal } from '../../scripts/demo/demo-deal.js';
import { openLocalGateway } from '../../middleware/src/org/local/local-gateway.js';

const SERVER = path.resolve('dist/middleware/src/server.js');
const TOKEN = 'race-token-0123456789abcdef0123456789abcdef';
const dir = mkdtempSync(path.join(tmpdir(), 'cosell-race-'));
const dbPath = path.join(dir, 'race.db');
const processes: ChildProcess[] = [];

/** Starts the built middleware in its own process and waits for its URL. */
async function startProcess(): Promise<string> {
  const child = spawn(process.execPath, [SERVER], {
    env: {
      ...process.env,
      PORT: '0',
      COSELL_DB_PATH: dbPath,
      COSELL_API_TOKEN: TOKEN,
      COSELL_LOG_LEVEL: 'info',
      COSELL_EXPIRY_SWEEP_SECONDS: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  processes.push(child);
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const entry = JSON.parse(line) as { url?: string; msg?: string };
    if (
      entry.url &&
      entry.msg?.startsWith('Cosell Stages middleware listening')
    ) {
      lines.removeAllListeners();
      child.stdout!.resume();
      return entry.url;
    }
  }
  throw new Error('the middleware process exited before it listened');
}

function post(url: string, user: string, body: unknown, key?: string) {
  return fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'x-cosell-acting-user': user,
      'content-type': 'application/json',
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: JSON.stringify(body),
  });
}

let first: string;
let second: string;

beforeAll(async () => {
  if (!existsSync(SERVER))
    throw new Error(`Run npm run build first: ${SERVER} is missing`);
  first = await startProcess();
  second = await startProcess();
}, 60_000);

afterAll(() => {
  for (const child of processes) child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('two middleware processes on one store file', () => {
  it('apply each confirmed move exactly once', async () => {
    const store = await openLocalGateway({
      dbPath,
      packageDir: path.resolve('force-app'),
    });
    try {
      for (let round = 0; round < 10; round += 1) {
        const deal = await createDemoDeal(store);
        const created = await post(
          `${first}/v1/deals/${deal.dealId}/stage-requests`,
          deal.vendorSeller,
          { kind: 'Advance' },
        );
        expect(created.status).toBe(201);
        const requestId = ((await created.json()) as { id: string }).id;
        const answers = await Promise.all(
          [first, second].map((base) =>
            post(
              `${base}/v1/stage-requests/${requestId}/confirm`,
              deal.partnerSeller,
              {},
            ),
          ),
        );
        const statuses = answers.map((a) => a.status).sort();
        expect(statuses[0]).toBe(200);
        expect(statuses[1]).toBe(409);
        const transitions = await store.listTransitions(deal.dealId);
        expect(transitions).toHaveLength(1);
        const read = await store.readDealContext({
          dealId: deal.dealId,
          actingUserId: deal.vendorSeller,
          plan: { dealFields: ['Id', 'Cosell_Stage_Version__c'], children: {} },
        });
        expect(read.deal?.['Cosell_Stage_Version__c']).toBe(2);
      }
    } finally {
      await store.close();
    }
  }, 60_000);

  it('replay identical keyed calls sent at once', async () => {
    const store = await openLocalGateway({
      dbPath,
      packageDir: path.resolve('force-app'),
    });
    try {
      for (let round = 0; round < 5; round += 1) {
        const deal = await createDemoDeal(store);
        const requests = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            post(
              `${i % 2 ? first : second}/v1/deals/${deal.dealId}/stage-requests`,
              deal.vendorSeller,
              { kind: 'Advance', reason: 'conc' },
              `k-conc-${deal.dealId}`,
            ),
          ),
        );
        expect(requests.map((r) => r.status)).toEqual(Array(10).fill(201));
        const ids = await Promise.all(
          requests.map(async (r) => ((await r.json()) as { id: string }).id),
        );
        expect(new Set(ids).size).toBe(1);

        const confirms = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            post(
              `${i % 2 ? first : second}/v1/stage-requests/${ids[0]}/confirm`,
              deal.partnerSeller,
              {},
              `k-confirm-${ids[0]}`,
            ),
          ),
        );
        expect(confirms.map((r) => r.status)).toEqual(Array(8).fill(200));
        expect(await store.listTransitions(deal.dealId)).toHaveLength(1);
      }
    } finally {
      await store.close();
    }
  }, 60_000);
});
