import {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCosellContext } from '../../middleware/src/bootstrap.js';
import type { CosellContext } from '../../middleware/src/app/cosell-context.js';
import { seedDemo } from '../../middleware/src/demo/seed-demo.js';
import type { DemoSummary } from '../../middleware/src/demo/seed-demo.js';
import { createApp } from '../../middleware/src/http/app.js';
import type { AppOptions } from '../../middleware/src/http/app.js';
import { createTestLogger } from '../helpers/log-lines.js';
import { openLocalGateway } from '../../middleware/src/org/local/local-gateway.js';

export const TEST_TOKEN = 'test-token-0123456789abcdef0123456789abcdef';

export interface TestApp {
  url: string;
  ctx: CosellContext;
  gateway: Awaited<ReturnType<typeof openLocalGateway>>;
  /** The store file, open in this process while the app runs. */
  dbPath: string;
  demo: DemoSummary;
  /** Moves the app's clock forward. */
  advanceClock(ms: number): void;
  call(
    method: string,
    urlPath: string,
    options?: {
      user?: string;
      body?: unknown;
      headers?: Record<string, string>;
    },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/**
 * Starts the real app over a socket on a seeded temporary store, with a movable clock.
 * With `logLines`, the app logs at info into that list; otherwise it is silent.
 * `app` sets further options of `createApp`, such as the rate limit.
 */
export async function startTestApp(
  options: {
    logLines?: Array<Record<string, unknown>>;
    app?: Omit<AppOptions, 'apiToken'>;
    /** The force-app folder the store reads its models from; `force-app` when absent. */
    packageDir?: string;
  } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cosell-http-'));
  const logger = createTestLogger(options.logLines);
  const dbPath = path.join(dir, 'test.db');
  const gateway = await openLocalGateway({
    dbPath,
    packageDir: options.packageDir ?? path.resolve('force-app'),
    logger,
  });
  let offset = 0;
  const ctx = await createCosellContext(gateway, {
    timeZone: 'UTC',
    logger,
    now: () => new Date(Date.now() + offset),
  });
  const demo = await seedDemo(ctx, gateway);
  const app = createApp(ctx, { ...options.app, apiToken: TEST_TOKEN });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    ctx,
    gateway,
    dbPath,
    demo,
    advanceClock: (ms) => {
      offset += ms;
    },
    call: async (method, urlPath, options = {}) => {
      const headers: Record<string, string> = {
        authorization: `Bearer ${TEST_TOKEN}`,
        ...(options.user ? { 'x-cosell-acting-user': options.user } : {}),
        ...(options.body !== undefined
          ? { 'content-type': 'application/json' }
          : {}),
        ...options.headers,
      };
      const response = await fetch(`${url}${urlPath}`, {
        method,
        headers,
        body:
          options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text ? JSON.parse(text) : null,
        headers: response.headers,
      };
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Copies force-app to a new temporary folder with `field` added to the Default
 * model's vendor-only fields, and returns the copy's path for `packageDir`.
 * The caller removes the folder.
 */
export function copyPackageWithVendorOnly(field: string): string {
  const packageDir = mkdtempSync(path.join(tmpdir(), 'cosell-force-app-'));
  cpSync(path.resolve('force-app'), packageDir, { recursive: true });
  const modelFile = path.join(
    packageDir,
    'main/default/customMetadata/Cosell_Model.Default.md-meta.xml',
  );
  const model = readFileSync(modelFile, 'utf8');
  const listed = model.replace(
    'ForecastCategoryName</value>',
    `ForecastCategoryName\n${field}</value>`,
  );
  if (listed === model) {
    throw new Error(`${modelFile} has no ForecastCategoryName to list after`);
  }
  writeFileSync(modelFile, listed);
  return packageDir;
}
