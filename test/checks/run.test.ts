import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import {
  printReport,
  runChecks,
  type RunOptions,
} from '../../scripts/checks/run.js';
import {
  copyFixture,
  DEFAULT,
  useTemporaryHome,
  type FixtureCopy,
} from './fixture-package.js';

const CLASS = `${DEFAULT}/classes/FixtureDealController.cls`;
const HAS_JAVA = spawnSync('java', ['-version']).status === 0;

let fixture: FixtureCopy;
const temporaryHome = useTemporaryHome('cosell-run-home-');

/** Options for the fast runs: PMD finds no Java and the conversion is skipped. */
function fastOptions(): RunOptions {
  return {
    skipConversion: true,
    pmd: { javaCommand: join(temporaryHome(), 'no-java') },
    crossReference: {
      apiNameMaps: { OBJECTS: { planStep: 'Close_Plan_Step__c' } },
    },
  };
}

beforeEach(async () => {
  fixture = await copyFixture();
});

afterEach(async () => {
  await fixture.remove();
});

function print(report: Awaited<ReturnType<typeof runChecks>>) {
  const lines: string[] = [];
  const exitCode = printReport(report, (line) => lines.push(line));
  return { exitCode, lines };
}

describe('runChecks', () => {
  test('clean package exits 0', async () => {
    const { exitCode, lines } = print(
      await runChecks(fixture.dir, {
        ...fastOptions(),
        pmd: {},
        skipConversion: false,
        apiVersion: '62.0',
      }),
    );

    expect(lines).toContain('apex-format: passed');
    expect(lines).toContain('cross-reference: passed');
    expect(lines).toContain('convert-source: passed');
    expect(lines).toEqual(
      expect.arrayContaining([
        HAS_JAVA
          ? 'pmd: passed (1 Apex file; 0 violations of severity 3 to 5 do not fail the check)'
          : expect.stringMatching(/^pmd: skipped\. Java was not found/),
      ]),
    );
    expect(exitCode).toBe(0);
  }, 120_000);

  test('broken package exits 1 naming file and reason', async () => {
    await fixture.replace(CLASS, 'deal.Cosell_Model__c', 'deal.Cosell_Modl__c');
    await fixture.replace(CLASS, '    @AuraEnabled\n', '  @AuraEnabled\n');

    const { exitCode, lines } = print(
      await runChecks(fixture.dir, fastOptions()),
    );

    const file = relative(process.cwd(), fixture.path(CLASS));
    expect(lines).toContain(
      `${file}: [cross-reference] Cosell_Modl__c: line 24: no custom object, field or relationship named Cosell_Modl__c is defined in force-app; fix the name or add its metadata`,
    );
    expect(lines).toContain(
      `${file}: [apex-format] is not formatted as prettier-plugin-apex formats it; run npx prettier --write ${fixture.path(CLASS)}`,
    );
    expect(lines).toContain('cross-reference: 1 finding');
    expect(lines).toContain('convert-source: skipped on request');
    expect(exitCode).toBe(1);
  }, 120_000);

  test('pmd without Java is reported as skipped', async () => {
    const { exitCode, lines } = print(
      await runChecks(fixture.dir, fastOptions()),
    );

    expect(lines.find((line) => line.startsWith('pmd: '))).toMatch(
      /^pmd: skipped\. Java was not found/,
    );
    expect(exitCode).toBe(0);
  });

  test('missing package directory is a finding', async () => {
    const missing = join(temporaryHome(), 'no-such-force-app');

    const { exitCode, lines } = print(await runChecks(missing, fastOptions()));

    expect(lines).toEqual([
      `${relative(process.cwd(), missing)}: [run] package directory not found; pass the folder that holds the metadata, such as force-app`,
    ]);
    expect(exitCode).toBe(1);
  });
});
