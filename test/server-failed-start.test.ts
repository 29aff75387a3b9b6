import { createServer } from 'node:net';
import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { loadBaseConfig } from '../middleware/src/config.js';
import { DemoSeedError } from '../middleware/src/demo/seed-demo.js';
import { startServer } from '../middleware/src/server.js';
import { noteStartFiles } from '../middleware/src/start-files.js';
import { copyPackageWithShortPlanStep } from './helpers/local-store.js';
import { logLineStream } from './helpers/log-lines.js';

let dir: string;
let occupied: Server;
let busyPort: number;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cosell-failed-start-'));
  occupied = createServer();
  await new Promise<void>((resolve) =>
    occupied.listen(0, '127.0.0.1', resolve),
  );
  busyPort = (occupied.address() as AddressInfo).port;
});

afterEach(async () => {
  await new Promise((resolve) => occupied.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Starts on the given store with a port that is already taken, so listen fails. */
function startOnBusyPort(dbPath: string, extra: Record<string, string> = {}) {
  return startServer({
    PORT: String(busyPort),
    COSELL_DB_PATH: dbPath,
    COSELL_LOG_LEVEL: 'silent',
    COSELL_EXPIRY_SWEEP_SECONDS: '0',
    ...extra,
  });
}

describe('a start that fails after opening the store', () => {
  it('removes new store files and folders', async () => {
    const dbPath = path.join(dir, 'new', 'deeper', 'cosell.db');
    await expect(startOnBusyPort(dbPath)).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
    // The store was created before the port was bound; none of it is left behind.
    expect(existsSync(path.join(dir, 'new'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes a new store the demo does not fit', async () => {
    const packageDir = copyPackageWithShortPlanStep(
      path.join(dir, 'short-step-force-app'),
    );
    const store = path.join(dir, 'misfit');

    // On a free port, because a port in use fails the start before seeding.
    await expect(
      startServer({
        PORT: '0',
        COSELL_DB_PATH: path.join(store, 'cosell.db'),
        COSELL_PACKAGE_DIR: packageDir,
        COSELL_LOG_LEVEL: 'silent',
        COSELL_EXPIRY_SWEEP_SECONDS: '0',
      }),
    ).rejects.toBeInstanceOf(DemoSeedError);
    expect(existsSync(store)).toBe(false);
  });

  it('seeds nothing on a port in use', async () => {
    const entries: Array<Record<string, unknown>> = [];
    const logger = pino(
      { level: 'info' },
      logLineStream((line) => entries.push(JSON.parse(line))),
    );
    await expect(
      startServer(
        {
          PORT: String(busyPort),
          COSELL_DB_PATH: path.join(dir, 'cosell.db'),
          COSELL_EXPIRY_SWEEP_SECONDS: '0',
        },
        logger,
      ),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
    const messages = entries.map((entry) => entry['msg']);
    expect(messages).not.toContain('seeded the demo org');
    expect(messages).not.toContain('demo user');
    expect(messages).not.toContain('stage request created');
    expect(messages).not.toContain('stage models loaded');
  });

  it('keeps an existing store and its deals', async () => {
    const dbPath = path.join(dir, 'cosell.db');
    const first = await startServer({
      PORT: '0',
      COSELL_DB_PATH: dbPath,
      COSELL_LOG_LEVEL: 'silent',
      COSELL_EXPIRY_SWEEP_SECONDS: '0',
    });
    await first.close();
    await expect(startOnBusyPort(dbPath)).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
    const db = new Database(dbPath, { readonly: true });
    const deals = db.prepare('SELECT COUNT(*) FROM "Opportunity"').pluck();
    expect(deals.get()).toBeGreaterThan(0);
    db.close();
    expect(existsSync(path.join(dir, 'api-token'))).toBe(true);
  });

  it('keeps a new store another start uses', async () => {
    const dbPath = path.join(dir, 'shared', 'cosell.db');
    const env = {
      PORT: '0',
      COSELL_DB_PATH: dbPath,
      COSELL_LOG_LEVEL: 'silent',
      COSELL_EXPIRY_SWEEP_SECONDS: '0',
    };
    // A second start that noted the path as new before the first created it.
    const second = noteStartFiles(loadBaseConfig(env));
    const running = await startServer(env);
    try {
      second.removeNew();

      expect(existsSync(dbPath)).toBe(true);
      expect(existsSync(path.join(dir, 'shared', 'api-token'))).toBe(true);
      const ready = await fetch(`${running.url}/readyz`);
      expect(ready.status).toBe(200);
    } finally {
      await running.close();
    }
  });

  it('keeps a folder with other files', async () => {
    const dbPath = path.join(dir, 'cosell.db');
    const other = path.join(dir, 'notes.txt');
    symlinkSync('/nonexistent-target', other);
    await expect(
      startOnBusyPort(dbPath, { COSELL_API_TOKEN: 't'.repeat(40) }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });
});
