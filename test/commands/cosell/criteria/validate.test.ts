import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Messages } from '@salesforce/core';
import type { SfError } from '@salesforce/core';
import { TestContext } from '@salesforce/core/testSetup';
import CriteriaValidate from '../../../../middleware/src/commands/cosell/criteria/validate.js';
import type { CriteriaValidateResult } from '../../../../middleware/src/commands/cosell/criteria/validate.js';
import { PACKAGE_DIR, useCommandHooks } from '../../command-fixture.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages(
  'cosell-stages',
  'cosell.criteria.validate',
);
const storeMessages = Messages.loadMessages('cosell-stages', 'cosell.store');

const RECORDS = path.join('main', 'default', 'customMetadata');
const OWNERS = path.join(
  RECORDS,
  'Exit_Criterion.Default_Registered_Owners_Named.md-meta.xml',
);
const REGISTERED = path.join(
  RECORDS,
  'Cosell_Stage.Default_Registered.md-meta.xml',
);
const NEVER = path.join(
  RECORDS,
  'Exit_Criterion.Default-Registered-Never.md-meta.xml',
);

/** Replaces the first `from` in a file of a package copy. */
function replaceIn(dir: string, file: string, from: string, to: string) {
  const full = path.join(dir, file);
  const text = readFileSync(full, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} lacks ${from}`);
  writeFileSync(full, text.replace(from, to));
}

describe('cosell criteria validate', () => {
  const $$ = new TestContext();
  const ux = useCommandHooks($$);
  let dir: string;
  let brokenDir: string;
  let badRecordsDir: string;
  const saved = { HOME: process.env['HOME'], TMPDIR: process.env['TMPDIR'] };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cosell-validate-'));
    // The sf libraries write under HOME and TMPDIR.
    process.env['HOME'] = dir;
    process.env['TMPDIR'] = dir;
    brokenDir = path.join(dir, 'force-app');
    cpSync(PACKAGE_DIR, brokenDir, { recursive: true });
    replaceIn(
      brokenDir,
      OWNERS,
      'NOT(ISBLANK(Vendor_Owner__c))',
      'NOT(ISBLANK(Vendor_Ownr__c))',
    );
    badRecordsDir = path.join(dir, 'bad-records', 'force-app');
    cpSync(PACKAGE_DIR, badRecordsDir, { recursive: true });
    replaceIn(
      badRecordsDir,
      REGISTERED,
      '<value xsi:type="xsd:double">14</value>',
      '<value xsi:type="xsd:double">1.5</value>',
    );
    writeFileSync(
      path.join(badRecordsDir, NEVER),
      readFileSync(path.join(badRecordsDir, OWNERS), 'utf8').replace(
        /AND\(NOT[^<]*/,
        'FALSE',
      ),
    );
  });

  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  // The first command of the file loads oclif and the package, which takes
  // seconds on a loaded machine.
  it('accepts the shipped models', async () => {
    const result = await CriteriaValidate.run(
      ['--source-dir', PACKAGE_DIR],
      process.cwd(),
    );

    expect(result.valid).toBe(true);
    expect(result.errors).toEqual([]);
    expect(ux().logSuccess.firstCall.args[0]).toBe(
      messages.getMessage('info.Valid', [
        result.models,
        result.stages,
        result.criteria,
      ]),
    );
  }, 30_000);

  it.each([
    ['COSELL_LOG_LEVEL', 'loud', 'InvalidLogLevelVariable'],
    ['COSELL_TIME_ZONE', 'Mars/Olympus', 'InvalidTimeZoneVariable'],
  ])('rejects an invalid %s', async (variable, value, key) => {
    const saved = process.env[variable];
    process.env[variable] = value;
    let error: SfError | undefined;
    try {
      await CriteriaValidate.run(['--source-dir', PACKAGE_DIR], process.cwd());
    } catch (caught) {
      error = caught as SfError;
    } finally {
      if (saved === undefined) delete process.env[variable];
      else process.env[variable] = saved;
    }

    expect(error?.name).toBe(`${key}Error`);
    expect(error?.message).toContain(`${variable}="${value}"`);
    expect(error?.actions).toEqual(
      storeMessages.getMessages(`error.${key}.actions`),
    );
  });

  it('rejects a folder without objects', async () => {
    const csvFolder = path.join(dir, 'csv-files');
    mkdirSync(csvFolder, { recursive: true });
    writeFileSync(path.join(csvFolder, 'deals.csv'), 'Id,Name\n');

    const error = await CriteriaValidate.run(
      ['--source-dir', csvFolder],
      process.cwd(),
    ).then(
      () => {
        throw new Error('a folder without objects passed validation');
      },
      (caught: unknown) => caught as SfError,
    );

    expect(error.name).toBe('NotPackageFolderError');
    expect(error.message).toBe(
      `${csvFolder} is not an SFDX package folder: it has no objects folder.`,
    );
  });

  it('names the record and position of a bad formula', async () => {
    const error = await CriteriaValidate.run(
      ['--source-dir', brokenDir],
      process.cwd(),
    ).then(
      () => {
        throw new Error('a broken formula passed validation');
      },
      (caught: unknown) => caught as SfError,
    );

    expect(error.name).toBe('InvalidCriteriaError');
    expect(error.message).toBe(
      'Found 1 problem in the co-sell models and criteria.',
    );
    expect(error.actions).toEqual(
      messages.getMessages('error.InvalidCriteria.actions'),
    );
    const report = error.data as unknown as CriteriaValidateResult;
    // The formula starts at line 11, column 38 of its file, and the field name
    // at column 17 of the formula.
    const file = path.join(brokenDir, OWNERS);
    expect(report.errors).toEqual([
      {
        file,
        record: 'Default_Registered_Owners_Named',
        line: 11,
        column: 54,
        formulaLine: 1,
        formulaColumn: 17,
        message: expect.stringMatching(
          /^Formula__c line 1, column 17: unknown field Vendor_Ownr__c/,
        ),
      },
    ]);
    const printed = ux().log.args.flat().join('\n');
    expect(printed).toContain(
      `${file}:11:54 Default_Registered_Owners_Named: Formula__c line 1, column 17: unknown field Vendor_Ownr__c`,
    );
  });

  it('names record values and file names a deploy rejects', async () => {
    const error = await CriteriaValidate.run(
      ['--source-dir', badRecordsDir, '--json'],
      process.cwd(),
    ).then(
      () => {
        throw new Error('bad records passed validation');
      },
      (caught: unknown) => caught as SfError,
    );

    const report = error.data as unknown as CriteriaValidateResult;
    const none = { record: null, line: null, column: null };
    expect(report.errors).toEqual([
      {
        ...none,
        formulaLine: null,
        formulaColumn: null,
        file: path.join(badRecordsDir, REGISTERED),
        message:
          'Stall_Days__c = "1.5": is not a whole number; this field has no decimal places (the field is Number(4, 0))',
      },
      {
        ...none,
        formulaLine: null,
        formulaColumn: null,
        file: path.join(badRecordsDir, NEVER),
        message:
          'the record name "Default-Registered-Never" (the file name between Exit_Criterion. and .md-meta.xml) is not a valid DeveloperName: ' +
          'it may contain only the letters A-Z and a-z, digits and underscores, and "-" is none of them; ' +
          'rename the file, such as to Exit_Criterion.Default_Registered_Never.md-meta.xml',
      },
    ]);
  });

  it('names an inactive criterion with a bad formula', async () => {
    const inactiveDir = path.join(dir, 'inactive', 'force-app');
    cpSync(PACKAGE_DIR, inactiveDir, { recursive: true });
    replaceIn(
      inactiveDir,
      OWNERS,
      'NOT(ISBLANK(Vendor_Owner__c))',
      'NOT(ISBLANK(Vendor_Ownr__c))',
    );
    replaceIn(
      inactiveDir,
      OWNERS,
      '<value xsi:type="xsd:boolean">true</value>',
      '<value xsi:type="xsd:boolean">false</value>',
    );

    const error = await CriteriaValidate.run(
      ['--source-dir', inactiveDir],
      process.cwd(),
    ).then(
      () => {
        throw new Error('an inactive broken formula passed validation');
      },
      (caught: unknown) => caught as SfError,
    );

    expect(error.name).toBe('InvalidCriteriaError');
    const report = error.data as unknown as CriteriaValidateResult;
    expect(report.valid).toBe(false);
    expect(report.errors).toEqual([
      {
        file: path.join(inactiveDir, OWNERS),
        record: 'Default_Registered_Owners_Named',
        line: 11,
        column: 54,
        formulaLine: 1,
        formulaColumn: 17,
        message: expect.stringMatching(
          /^Formula__c line 1, column 17: unknown field Vendor_Ownr__c.* \(the criterion is inactive, so the middleware skips it, but once Is_Active__c is set the models do not load\)$/s,
        ),
      },
    ]);
  });

  it('prints the report as JSON', async () => {
    await CriteriaValidate.run(
      ['--source-dir', PACKAGE_DIR, '--json'],
      process.cwd(),
    );

    const printed = ux().logJson.firstCall.args[0] as {
      status: number;
      result: CriteriaValidateResult;
    };
    expect(printed.status).toBe(0);
    expect(printed.result.valid).toBe(true);
  });
});
