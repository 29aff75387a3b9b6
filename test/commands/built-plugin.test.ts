import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Messages } from '@salesforce/core';
import { createCommandFixture, PACKAGE_DIR } from './command-fixture.js';
import type { CommandFixture } from './command-fixture.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const storeMessages = Messages.loadMessages('cosell-stages', 'cosell.store');
const evaluateMessages = Messages.loadMessages(
  'cosell-stages',
  'cosell.pipeline.evaluate',
);

const ROOT = path.resolve('.');
/** Each test starts a Node process that loads oclif, which takes seconds on a busy machine. */
const SPAWN_TIMEOUT_MS = 30_000;
const BUILT_COMMANDS = path.join(ROOT, 'dist/middleware/src/commands/cosell');

/**
 * Runs the built plugin as sf would: oclif's `run` with the package root, in a
 * Node process of its own, because jest's module sandbox cannot load the
 * compiled command files that oclif discovers.
 */
function runPlugin(argv: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  const script = [
    "import { run, flush, handle } from '@oclif/core';",
    'try {',
    `  await run(${JSON.stringify(argv)}, ${JSON.stringify(ROOT)});`,
    '  await flush();',
    '} catch (error) {',
    '  await handle(error);',
    '}',
  ].join('\n');
  return runNode(['--input-type=module', '-e', script], ROOT, env);
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs Node with `args` in `cwd` and collects its exit code and output. */
function runNode(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<RunResult> {
  return runCommand(process.execPath, args, cwd, env);
}

function runCommand(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, NODE_OPTIONS: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('built sf plugin', () => {
  let fixture: CommandFixture;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    if (!existsSync(BUILT_COMMANDS)) {
      throw new Error(
        `${BUILT_COMMANDS} is missing; run "npm run build" before this test`,
      );
    }
    fixture = await createCommandFixture();
    env = {
      HOME: process.env['HOME'],
      TMPDIR: process.env['TMPDIR'],
      COSELL_LOG_LEVEL: 'warn',
    };
  });

  afterAll(async () => {
    await fixture.cleanup();
  });

  it(
    'lists the cosell topics',
    async () => {
      const { code, stdout } = await runPlugin(['cosell', '--help'], env);

      expect(code).toBe(0);
      for (const topic of ['criteria', 'deal', 'pipeline', 'report']) {
        expect(stdout).toContain(`cosell ${topic}`);
      }
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'runs pipeline evaluate on a local store',
    async () => {
      const { code, stdout } = await runPlugin(
        [
          'cosell',
          'pipeline',
          'evaluate',
          '--local',
          '--db',
          fixture.dbPath,
          '--source-dir',
          PACKAGE_DIR,
          '--json',
        ],
        env,
      );

      expect(code).toBe(0);
      const output = JSON.parse(stdout) as {
        status: number;
        result: { evaluated: number; timeZone: string };
      };
      expect(output.status).toBe(0);
      expect(output.result.evaluated).toBeGreaterThan(0);
      expect(output.result.timeZone).toBe('UTC');
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'loads the summary from the messages',
    async () => {
      const { code, stdout } = await runPlugin(
        ['cosell', 'pipeline', 'evaluate', '--help'],
        env,
      );

      expect(code).toBe(0);
      expect(stdout).toContain(evaluateMessages.getMessage('summary'));
      expect(stdout).toContain('--time-zone');
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'exits 1 with the error and its actions',
    async () => {
      const { code, stdout } = await runPlugin(
        ['cosell', 'pipeline', 'evaluate', '--json'],
        env,
      );

      expect(code).toBe(1);
      const output = JSON.parse(stdout) as {
        status: number;
        name: string;
        message: string;
        actions: string[];
      };
      expect(output.name).toBe('NoStoreError');
      expect(output.message).toBe(storeMessages.getMessage('error.NoStore'));
      expect(output.actions).toEqual(
        storeMessages.getMessages('error.NoStore.actions'),
      );
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'runs from another folder through the runner script',
    async () => {
      // A project folder outside the package, whose sfdx-project.json names the
      // package's force-app, so --source-dir defaults to it.
      const project = mkdtempSync(path.join(tmpdir(), 'cosell-project-'));
      writeFileSync(
        path.join(project, 'sfdx-project.json'),
        JSON.stringify({
          packageDirectories: [{ path: PACKAGE_DIR, default: true }],
        }),
      );
      try {
        const { code, stdout } = await runNode(
          [
            path.join(ROOT, 'dist/scripts/cosell.js'),
            'cosell',
            'criteria',
            'validate',
            '--json',
          ],
          project,
          env,
        );

        expect(code).toBe(0);
        const output = JSON.parse(stdout) as {
          result: { sourceDir: string };
        };
        expect(output.result.sourceDir).toBe(PACKAGE_DIR);
      } finally {
        rmSync(project, { recursive: true, force: true });
      }
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'shows the runner command in its help',
    async () => {
      const { code, stdout } = await runNode(
        ['dist/scripts/cosell.js', '--help'],
        ROOT,
        env,
      );

      expect(code).toBe(0);
      expect(stdout).toContain('$ node dist/scripts/cosell.js [COMMAND]');
      expect(stdout).not.toContain('$ sf ');
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    'shows the runner command in command examples',
    async () => {
      const { code, stdout } = await runNode(
        ['dist/scripts/cosell.js', 'cosell', 'criteria', 'validate', '--help'],
        ROOT,
        env,
      );

      expect(code).toBe(0);
      expect(stdout).toContain(
        '$ node dist/scripts/cosell.js cosell criteria validate',
      );
      expect(stdout).not.toContain('$ sf ');
    },
    SPAWN_TIMEOUT_MS,
  );

  it('packs the runner and the default force-app', async () => {
    const { code, stdout } = await runCommand(
      'npm',
      ['pack', '--dry-run', '--json', '--ignore-scripts'],
      ROOT,
      env,
    );

    expect(code).toBe(0);
    const [packed] = JSON.parse(stdout) as [{ files: { path: string }[] }];
    const files = packed.files.map((file) => file.path);
    expect(files).toContain('dist/scripts/cosell.js');
    expect(files).toContain(
      'force-app/main/default/customMetadata/Cosell_Model.Default.md-meta.xml',
    );
  }, 60_000);
});
