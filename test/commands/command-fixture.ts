import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from '@jest/globals';
import type { TestContext } from '@salesforce/core/testSetup';
import { Progress, stubSfCommandUx } from '@salesforce/sf-plugins-core';
import { createCosellContext } from '../../middleware/src/bootstrap.js';
import { seedDemo } from '../../middleware/src/demo/seed-demo.js';
import { createLogger } from '../../middleware/src/logger.js';
import { openLocalGateway } from '../../middleware/src/org/local/local-gateway.js';
import type { LocalGateway } from '../../middleware/src/org/local/local-gateway.js';

export const PACKAGE_DIR = path.resolve('force-app');

/**
 * A seeded demo store on a temporary file, with HOME and TMPDIR moved beside
 * it and the commands' log level at error.
 */
export interface CommandFixture {
  dir: string;
  dbPath: string;
  /** Opens the store again, for a test that looks records up; close it after. */
  openStore(): Promise<LocalGateway>;
  cleanup(): Promise<void>;
}

/**
 * Seeds the demo org into a new store file and points HOME and TMPDIR at the
 * same temporary folder, because the sf libraries write under both.
 */
export async function createCommandFixture(): Promise<CommandFixture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cosell-cmd-'));
  const saved = {
    HOME: process.env['HOME'],
    TMPDIR: process.env['TMPDIR'],
    COSELL_LOG_LEVEL: process.env['COSELL_LOG_LEVEL'],
  };

  const home = path.join(dir, 'home');
  const temp = path.join(dir, 'tmp');
  mkdirSync(home);
  mkdirSync(temp);
  process.env['HOME'] = home;
  process.env['TMPDIR'] = temp;
  // The commands log warnings to stderr as JSON lines.
  process.env['COSELL_LOG_LEVEL'] = 'error';

  const dbPath = path.join(dir, 'cosell.db');
  const logger = createLogger('silent');
  const openStore = () =>
    openLocalGateway({ dbPath, packageDir: PACKAGE_DIR, logger });
  const gateway = await openStore();
  try {
    const ctx = await createCosellContext(gateway, { timeZone: 'UTC', logger });
    await seedDemo(ctx, gateway);
  } finally {
    await gateway.close();
  }
  return {
    dir,
    dbPath,
    openStore,
    async cleanup() {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Copies the package folder to `target` without the Default model's
 * Validating stage and its exit criteria, as an admin who removed that stage
 * would leave it, and returns `target`. The objects stay as they are, so the
 * copy still matches a store seeded from the full package.
 */
export function copyPackageWithoutValidating(target: string): string {
  cpSync(PACKAGE_DIR, target, { recursive: true });
  const metadata = path.join(target, 'main/default/customMetadata');
  const removed = readdirSync(metadata).filter(
    (file) =>
      file === 'Cosell_Stage.Default_Validating.md-meta.xml' ||
      file.startsWith('Exit_Criterion.Default_Validating_'),
  );
  if (removed.length !== 3) {
    throw new Error(
      `expected the Validating stage and its 2 exit criteria in ${metadata}, found ${removed.length} files`,
    );
  }
  for (const file of removed) rmSync(path.join(metadata, file));
  return target;
}

/**
 * Registers the hooks every command test needs and returns the output stubs
 * of the running test. Each test gets empty aliases and stubbed sf output.
 * Afterwards process.exitCode is put back, because SfCommand's error handler
 * sets it, which would fail the jest run and make the next --json status 1.
 */
/** Stubs the progress bar of the deal-streaming commands, so no bar is drawn. */
export function stubProgress($$: TestContext) {
  return {
    start: $$.SANDBOX.stub(Progress.prototype, 'start'),
    update: $$.SANDBOX.stub(Progress.prototype, 'update'),
    finish: $$.SANDBOX.stub(Progress.prototype, 'finish'),
  };
}

/** Runs `work` with `process.stderr.isTTY` set to `isTTY`, then restores it. */
export async function withStderrTTY<T>(
  isTTY: boolean,
  work: () => Promise<T>,
): Promise<T> {
  const saved = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
  Object.defineProperty(process.stderr, 'isTTY', {
    value: isTTY,
    configurable: true,
  });
  try {
    return await work();
  } finally {
    if (saved) Object.defineProperty(process.stderr, 'isTTY', saved);
    else delete (process.stderr as { isTTY?: boolean }).isTTY;
  }
}

export function useCommandHooks(
  $$: TestContext,
): () => ReturnType<typeof stubSfCommandUx> {
  let ux: ReturnType<typeof stubSfCommandUx> | undefined;
  let exitCode: typeof process.exitCode;
  beforeEach(() => {
    exitCode = process.exitCode;
    $$.stubAliases({});
    ux = stubSfCommandUx($$.SANDBOX);
  });
  afterEach(() => {
    $$.restore();
    process.exitCode = exitCode;
  });
  return () => {
    if (!ux) throw new Error('the output stubs exist only inside a test');
    return ux;
  };
}
