import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Messages } from '@salesforce/core';
import Database from 'better-sqlite3';
import { createCommandFixture, PACKAGE_DIR } from '../../command-fixture.js';
import type { CommandFixture } from '../../command-fixture.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('cosell-stages', 'cosell.report.export');

const ROOT = path.resolve('.');
const COSELL_SCRIPT = path.join(ROOT, 'dist/scripts/cosell.js');
/**
 * Copies of the demo's stage transitions added to the store. About 100,000
 * rows take seconds to export, so the export is still writing when the test
 * sends the signal.
 */
const TRANSITION_COPIES = 60;
/** Each test starts a Node process that loads oclif, which takes seconds on a busy machine. */
const SIGNAL_TEST_TIMEOUT_MS = 90_000;

/** Adds `copies` copies of every stage transition, each with a new Id. */
function addTransitionCopies(dbPath: string, copies: number): void {
  const db = new Database(dbPath);
  try {
    const columns = (
      db.pragma('table_info(Stage_Transition__c)') as Array<{ name: string }>
    )
      .map((column) => column.name)
      .filter((name) => name !== 'Id' && name !== 'Key__c')
      .map((name) => `"${name}"`)
      .join(', ');
    // Key__c is unique, so the copies leave it empty.
    const copy = db.prepare(
      `INSERT INTO Stage_Transition__c (Id, Key__c, ${columns})
       SELECT Id || '-' || ?, NULL, ${columns} FROM Stage_Transition__c
       WHERE Id NOT LIKE '%-%'`,
    );
    db.transaction(() => {
      for (let index = 0; index < copies; index++) copy.run(String(index));
    })();
  } finally {
    db.close();
  }
}

function temporaryFiles(folder: string): string[] {
  return readdirSync(folder).filter((name) => name.endsWith('.tmp'));
}

interface Exit {
  code: number | null;
  stderr: string;
}

/** Resolves when `child` exits, with its exit code and stderr. */
function exitOf(child: ChildProcess): Promise<Exit> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/**
 * Waits until a temporary file appears in `folder` and returns its name, or
 * rejects when `exited` settles first, because the export ended before the test
 * could stop it.
 */
async function waitForTemporaryFile(
  folder: string,
  exited: Promise<Exit>,
): Promise<string> {
  let ended: Exit | undefined;
  void exited.then((exit) => (ended = exit));
  for (;;) {
    const [name] = temporaryFiles(folder);
    if (name !== undefined) return name;
    if (ended !== undefined) {
      throw new Error(
        `the export exited with ${ended.code} before writing its temporary file: ${ended.stderr}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('cosell report export stopped by a signal', () => {
  let fixture: CommandFixture;

  beforeAll(async () => {
    if (!existsSync(COSELL_SCRIPT)) {
      throw new Error(
        `${COSELL_SCRIPT} is missing; run "npm run build" before this test`,
      );
    }
    fixture = await createCommandFixture();
    addTransitionCopies(fixture.dbPath, TRANSITION_COPIES);
  }, SIGNAL_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await fixture.cleanup();
  });

  it.each<[NodeJS.Signals, number]>([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ])(
    'removes the temporary file on %s',
    async (signal, exitCode) => {
      const outDir = path.join(fixture.dir, `out-${signal}`);
      mkdirSync(outDir);
      const outputFile = path.join(outDir, 'history.csv');
      writeFileSync(outputFile, 'previous report\n');
      const child = spawn(
        process.execPath,
        [
          COSELL_SCRIPT,
          'cosell',
          'report',
          'export',
          '--local',
          '--db',
          fixture.dbPath,
          '--source-dir',
          PACKAGE_DIR,
          '--report',
          'stage-history',
          '--format',
          'csv',
          '--output-file',
          outputFile,
        ],
        {
          cwd: ROOT,
          env: { ...process.env, NODE_OPTIONS: '' },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      const exited = exitOf(child);

      const temporary = await waitForTemporaryFile(outDir, exited);
      // The file is created with its mode, so it is owner-only from the start.
      const temporaryMode = statSync(path.join(outDir, temporary)).mode & 0o777;
      child.kill(signal);
      const { code, stderr } = await exited;

      expect(temporaryMode).toBe(0o600);
      expect(code).toBe(exitCode);
      expect(stderr.trim()).toBe(
        messages.getMessage('info.Stopped', [signal, outputFile]),
      );
      expect(temporaryFiles(outDir)).toEqual([]);
      expect(readFileSync(outputFile, 'utf8')).toBe('previous report\n');
      expect(existsSync(`${fixture.dbPath}-wal`)).toBe(false);
      expect(existsSync(`${fixture.dbPath}-shm`)).toBe(false);
      rmSync(outDir, { recursive: true });
    },
    SIGNAL_TEST_TIMEOUT_MS,
  );
});
