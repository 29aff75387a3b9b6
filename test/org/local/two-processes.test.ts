import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { openLocalGateway } from '../../../middleware/src/org/local/local-gateway.js';
import type { LocalGateway } from '../../../middleware/src/org/local/local-gateway.js';
import { PACKAGE_DIR } from '../../helpers/local-store.js';
import {
  buildWorld,
  confirmMove,
  newRequest,
} from '../conformance/store-world.js';

const ROUNDS = 25;
const LOADER = path.resolve('test/helpers/register-ts-loader.mjs');
const PROCESS = path.resolve('test/helpers/store-process.ts');

interface Reply {
  ok: boolean;
  error?: string;
  message?: string;
  transitionId?: string;
}

/** A `store-process.ts` child: one JSON command per line, replies in order. */
class StoreProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: Array<(reply: Reply) => void> = [];
  private stderr = '';

  constructor() {
    this.child = spawn(process.execPath, ['--import', LOADER, PROCESS], {
      stdio: 'pipe',
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.waiting.shift()?.(JSON.parse(line) as Reply);
    });
    this.child.on('exit', (code) => {
      const failure: Reply = {
        ok: false,
        error: 'ProcessExited',
        message: `exited with ${String(code)}: ${this.stderr}`,
      };
      for (const resolve of this.waiting.splice(0)) resolve(failure);
    });
  }

  send(command: object): Promise<Reply> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.stdin.write(`${JSON.stringify(command)}\n`);
    });
  }

  stop(): void {
    this.child.kill();
  }
}

let dir: string;
let dbPath: string;
let processes: StoreProcess[];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cosell-processes-'));
  dbPath = path.join(dir, 'store.db');
  processes = [new StoreProcess(), new StoreProcess()];
});

afterEach(() => {
  for (const child of processes) child.stop();
  rmSync(dir, { recursive: true, force: true });
});

const openAll = () =>
  Promise.all(
    processes.map((child) =>
      child.send({ op: 'open', dbPath, packageDir: PACKAGE_DIR }),
    ),
  );

describe('two processes on one store file', () => {
  it('migrate a new file once between them', async () => {
    const replies = await openAll();
    expect(replies).toEqual([{ ok: true }, { ok: true }]);
    const db = new Database(dbPath, { readonly: true });
    try {
      const duplicates = db
        .prepare(
          'SELECT name, COUNT(*) AS n FROM schema_migrations GROUP BY name HAVING n > 1',
        )
        .all();
      expect(duplicates).toEqual([]);
    } finally {
      db.close();
    }
  }, 30_000);

  it('apply the same move exactly once', async () => {
    expect(await openAll()).toEqual([{ ok: true }, { ok: true }]);
    const gateway: LocalGateway = await openLocalGateway({
      dbPath,
      packageDir: PACKAGE_DIR,
    });
    try {
      const world = buildWorld(await gateway.describeSchema());
      for (const batch of world.batches) {
        await gateway.upsertRecords(batch.objectName, batch.records);
      }
      for (let round = 0; round < ROUNDS; round += 1) {
        await gateway.upsertRecords('Opportunity', [
          {
            Id: world.id.deal,
            Cosell_Stage__c: 'Registered',
            Cosell_Stage_Version__c: 1,
          },
        ]);
        const request = await gateway.createRequest(newRequest(world));
        const move = confirmMove(world, request.id);

        const replies = await Promise.all(
          processes.map((child) => child.send({ op: 'applyMove', move })),
        );

        const applied = replies.filter((reply) => reply.ok);
        const rejected = replies
          .filter((reply) => !reply.ok)
          .map((reply) => reply.error);
        expect({ round, applied: applied.length, rejected }).toEqual({
          round,
          applied: 1,
          rejected: ['ConcurrentChangeError'],
        });
        const transitions = await gateway.listTransitions(world.id.deal);
        expect(
          transitions.filter((t) => t.requestId === request.id),
        ).toHaveLength(1);
        const [deal] = await gateway.queryRecords('Opportunity', {
          where: { Id: world.id.deal },
          fields: ['Cosell_Stage_Version__c', 'Cosell_Stage__c'],
        });
        expect(deal?.['Cosell_Stage_Version__c']).toBe(2);
        expect(deal?.['Cosell_Stage__c']).toBe('Jointly_Qualified');
      }
    } finally {
      await gateway.close();
      await Promise.all(processes.map((child) => child.send({ op: 'close' })));
    }
  }, 60_000);
});
