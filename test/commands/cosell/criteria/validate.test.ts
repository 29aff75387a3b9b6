import {
  cpSync,
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

const OWNERS = path.join(
  'main',
  'default',
  'customMetadata',
  'Exit_Criterion.Default_Registered_Owners_Named.md-meta.xml',
);

describe('cosell criteria validate', () => {
  const $$ = new TestContext();
  const ux = useCommandHooks($$);
  let dir: string;
  let brokenDir: string;
  const saved = { HOME: process.env['HOME'], TMPDIR: process.env['TMPDIR'] };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cosell-validate-'));
    // The sf libraries write under HOME and TMPDIR.
    process.env['HOME'] = dir;
    process.env['TMPDIR'] = dir;
    brokenDir = path.join(dir, 'force-app');
    cpSync(PACKAGE_DIR, brokenDir, { recursive: true });
    const file = path.join(brokenDir, OWNERS);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        'NOT(ISBLANK(Vendor_Owner__c))',
        'NOT(ISBLANK(Vendor_Ownr__c))',
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
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0]?.record).toBe('Default_Registered_Owners_Named');
    expect(report.errors[0]?.message).toContain('Vendor_Ownr__c');
    expect(report.errors[0]?.line).toBe(1);
    const printed = ux().log.args.flat().join('\n');
    expect(printed).toContain('Default_Registered_Owners_Named');
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
