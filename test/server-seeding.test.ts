import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { openLocalGateway } from '../middleware/src/org/local/local-gateway.js';
import {
  listenWhileStarting,
  startServer,
  tryCommand,
} from '../middleware/src/server.js';
import { importFixtureDeals } from './helpers/local-store.js';
import { logLineStream } from './helpers/log-lines.js';

let dir: string;
let dbPath: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cosell-seeding-'));
  dbPath = path.join(dir, 'cosell.db');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the middleware on the test store, stops it, and returns its log entries. */
async function startOnce(): Promise<Array<Record<string, unknown>>> {
  const entries: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'info' },
    logLineStream((line) => entries.push(JSON.parse(line))),
  );
  const running = await startServer(
    {
      PORT: '0',
      COSELL_DB_PATH: dbPath,
      COSELL_API_TOKEN: 't'.repeat(40),
      COSELL_EXPIRY_SWEEP_SECONDS: '0',
    },
    logger,
  );
  await running.close();
  return entries;
}

function importDeals(): Promise<void> {
  return importFixtureDeals(dbPath);
}

describe('demo seeding at start', () => {
  it('warns when imported deals have no users', async () => {
    await importDeals();
    const entries = await startOnce();
    const warning = entries.find((entry) =>
      String(entry['msg']).startsWith('the store has deals but no users'),
    );
    expect(warning?.['level']).toBe(40);
    expect(warning?.['msg']).toContain(
      `npm run seed -- --db ${dbPath} --users`,
    );
    expect(warning?.['msg']).not.toContain('Delete');
    expect(
      entries.some((entry) => entry['msg'] === 'seeded the demo org'),
    ).toBe(false);
  });

  it('uses demo rates only with the demo org', async () => {
    const demoRates = (entries: Array<Record<string, unknown>>) =>
      entries.some((entry) =>
        String(entry['msg']).includes('uses the demo exchange rates'),
      );

    await importDeals();
    const imported = await startOnce();
    rmSync(dir, { recursive: true, force: true });
    const seeded = await startOnce();

    expect(demoRates(imported)).toBe(false);
    expect(demoRates(seeded)).toBe(true);
  });

  it('gives the token file an absolute path', () => {
    const line = tryCommand(
      'http://127.0.0.1:3000',
      path.join('store', 'api-token'),
      '005000000000010AAA',
    );

    expect(line).toContain(`$(cat ${path.resolve('store', 'api-token')})`);
  });

  it('names a demo user in the curl line', async () => {
    const tryLine = (entries: Array<Record<string, unknown>>) =>
      String(entries.find((entry) => entry['try'] !== undefined)?.['try']);

    await importDeals();
    const imported = await startOnce();
    rmSync(dir, { recursive: true, force: true });
    const seeded = await startOnce();

    expect(tryLine(imported)).toContain(
      'X-Cosell-Acting-User: <Id of a User record in the store>',
    );
    expect(tryLine(seeded)).toContain(
      'X-Cosell-Acting-User: 005000000000010AAA',
    );
  });

  it('keeps the demo users for a later import', async () => {
    expect(
      (await startOnce()).some(
        (entry) => entry['msg'] === 'seeded the demo org',
      ),
    ).toBe(true);
    await importDeals();
    const entries = await startOnce();
    const skipped = entries.find(
      (entry) =>
        entry['msg'] === 'the store has deals, so the demo org is not seeded',
    );
    expect(skipped?.['level']).toBe(30);
    expect(
      entries.some((entry) =>
        String(entry['msg']).startsWith('the store has deals but no users'),
      ),
    ).toBe(false);
  });

  it('sends 503 until the app is attached', async () => {
    const server = await listenWhileStarting(
      0,
      '127.0.0.1',
      pino({ level: 'silent' }),
    );
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      const body = (await response.json()) as { code?: string };

      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(response.headers.get('content-type')).toBe(
        'application/problem+json',
      );
      expect(body.code).toBe('store_unavailable');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('leaves the seeding to a start that claimed it', async () => {
    // Another start on the same new store claimed the seeding, but has not written yet.
    const other = await openLocalGateway({
      dbPath,
      packageDir: path.resolve('force-app'),
    });
    try {
      expect(await other.claimDemoSeeding()).toBe(true);

      const entries = await startOnce();

      expect(
        entries.some(
          (entry) =>
            entry['msg'] ===
            'another start is seeding the demo org into this store',
        ),
      ).toBe(true);
      expect(
        entries.some((entry) => entry['msg'] === 'seeded the demo org'),
      ).toBe(false);
      expect(await other.countRecords('Opportunity')).toBe(0);
    } finally {
      await other.close();
    }
  });
});

describe('demo seeding claim', () => {
  it('goes to one store connection at a time', async () => {
    const open = () =>
      openLocalGateway({ dbPath, packageDir: path.resolve('force-app') });
    const first = await open();
    const second = await open();
    try {
      expect(await first.claimDemoSeeding()).toBe(true);
      expect(await second.claimDemoSeeding()).toBe(false);
      await first.releaseDemoSeeding();
      expect(await second.claimDemoSeeding()).toBe(true);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('lapses after ten minutes', async () => {
    const gateway = await openLocalGateway({
      dbPath,
      packageDir: path.resolve('force-app'),
    });
    try {
      expect(await gateway.claimDemoSeeding()).toBe(true);
      const db = new Database(dbPath);
      db.prepare('UPDATE demo_seeding SET claimed_at = ?').run(
        new Date(Date.now() - 11 * 60 * 1000).toISOString(),
      );
      db.close();
      expect(await gateway.claimDemoSeeding()).toBe(true);
    } finally {
      await gateway.close();
    }
  });
});
