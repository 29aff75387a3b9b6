import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type {
  LifecycleContext,
  LifecycleSettings,
} from '../../middleware/src/app/lifecycle/lifecycle-context.js';
import { createCosellContext } from '../../middleware/src/bootstrap.js';
import { seedDemo } from '../../middleware/src/demo/seed-demo.js';
import type { DemoSummary } from '../../middleware/src/demo/seed-demo.js';
import { demoId } from '../../middleware/src/demo/demo-people.js';
import { createApp } from '../../middleware/src/http/app.js';
import { lifecycleRoutes } from '../../middleware/src/http/routes/lifecycle.js';
import { createTestLogger } from '../helpers/log-lines.js';
import { openLocalGateway } from '../../middleware/src/org/local/local-gateway.js';
import type { LocalGateway } from '../../middleware/src/org/local/local-gateway.js';
import { openLocalLifecycleStore } from '../../middleware/src/org/local/lifecycle-local-store.js';

/** The API token of the test app. */
export const TOKEN = 'lifecycle-test-token-0123456789abcdef0123456789';

/** Demo people by role, as the demo seed creates them. */
export const PEOPLE = {
  vendorSeller: demoId('005', 1),
  channelManager: demoId('005', 10),
  admin: demoId('005', 11),
  /** Two partner sellers of the first demo partner, one of the second. */
  partnerSeller: demoId('005', 100),
  partnerColleague: demoId('005', 101),
  otherPartnerSeller: demoId('005', 110),
  partnerAccount: demoId('001', 100),
  otherPartnerAccount: demoId('001', 101),
};

export interface LifecycleTestOptions {
  /** The app's clock starts here; the real clock when absent. */
  start?: string;
  timeZone?: string;
  settings?: Partial<LifecycleSettings>;
  /** When given, the app logs at info into this list; otherwise it is silent. */
  logLines?: Array<Record<string, unknown>>;
  /** The package folder with the objects and models; the repository's force-app by default. */
  packageDir?: string;
}

export interface CallResult {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

export interface LifecycleTestApp {
  url: string;
  /** The SQLite store file, for tests that write rows the API would reject. */
  dbPath: string;
  gateway: LocalGateway;
  lc: LifecycleContext;
  demo: DemoSummary;
  now(): Date;
  advanceClock(ms: number): void;
  call(
    method: string,
    urlPath: string,
    options?: {
      user?: string;
      body?: unknown;
      /** JSON text sent as it is, for values JSON.stringify cannot write. */
      rawBody?: string;
      headers?: Record<string, string>;
    },
  ): Promise<CallResult>;
  close(): Promise<void>;
}

export const DEFAULT_SETTINGS: LifecycleSettings = {
  fiscal: { startMonth: 1, yearBasedOn: 'starting' },
  currency: { corporate: 'USD', rates: { EUR: '1.08', GBP: '1.27' } },
  newDealStageName: 'Prospecting',
};

/**
 * Starts the real app with the lifecycle routes over a socket, on a seeded
 * temporary store, with a clock that starts at `options.start` and moves on demand.
 */
export async function startLifecycleApp(
  options: LifecycleTestOptions = {},
): Promise<LifecycleTestApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cosell-lifecycle-'));
  const logger = createTestLogger(options.logLines);
  const start = options.start ? Date.parse(options.start) : null;
  let offset = 0;
  const now = () => new Date((start ?? Date.now()) + offset);
  const dbPath = path.join(dir, 'lifecycle.db');
  const gateway = await openLocalGateway({
    dbPath,
    packageDir: options.packageDir ?? path.resolve('force-app'),
    logger,
    now,
  });
  const cosell = await createCosellContext(gateway, {
    timeZone: options.timeZone ?? 'UTC',
    logger,
    now,
  });
  const demo = await seedDemo(cosell, gateway);
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const store = openLocalLifecycleStore({
    dbPath,
    schema: cosell.schema,
    packageDir: gateway.packageDir,
    now,
  });
  const app = createApp(cosell, {
    apiToken: TOKEN,
    extraRoutes: [lifecycleRoutes(store, settings)],
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    dbPath,
    gateway,
    lc: { cosell, store, settings },
    demo,
    now,
    advanceClock: (ms) => {
      offset += ms;
    },
    call: async (method, urlPath, callOptions = {}) => {
      const headers: Record<string, string> = {
        authorization: `Bearer ${TOKEN}`,
        ...(callOptions.user
          ? { 'x-cosell-acting-user': callOptions.user }
          : {}),
        ...(callOptions.body !== undefined || callOptions.rawBody !== undefined
          ? { 'content-type': 'application/json' }
          : {}),
        ...callOptions.headers,
      };
      const response = await fetch(`${url}${urlPath}`, {
        method,
        headers,
        body:
          callOptions.rawBody ??
          (callOptions.body === undefined
            ? undefined
            : JSON.stringify(callOptions.body)),
      });
      const text = await response.text();
      // JSON and problem+json, but not NDJSON, which is one document a line.
      const json = /^application\/([\w.-]+\+)?json\b/.test(
        response.headers.get('content-type') ?? '',
      );
      return {
        status: response.status,
        body: json && text ? JSON.parse(text) : null,
        text,
        headers: response.headers,
      };
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
