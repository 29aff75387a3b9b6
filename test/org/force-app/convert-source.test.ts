import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

type ConvertSource =
  typeof import('../../../scripts/checks/convert-source.js').convertSource;

let home: string;
let convertSource: ConvertSource;
const saved = { HOME: process.env['HOME'], TMPDIR: process.env['TMPDIR'] };

beforeAll(async () => {
  // Salesforce libraries write logs under HOME and TMPDIR once loaded, so both point
  // at a temporary folder before the import.
  home = await mkdtemp(join(tmpdir(), 'convert-source-'));
  await mkdir(join(home, 'tmp'));
  process.env['HOME'] = home;
  process.env['TMPDIR'] = join(home, 'tmp');
  ({ convertSource } = await import(
    '../../../scripts/checks/convert-source.js'
  ));
});

afterAll(async () => {
  process.env['HOME'] = saved.HOME;
  process.env['TMPDIR'] = saved.TMPDIR;
  await rm(home, { recursive: true, force: true });
});

describe('convertSource', () => {
  test('force-app converts to Metadata API format', async () => {
    const project = JSON.parse(await readFile('sfdx-project.json', 'utf8')) as {
      sourceApiVersion: string;
    };
    const outputDir = join(home, 'mdapi');
    const summary = await convertSource(
      'force-app',
      outputDir,
      project.sourceApiVersion,
    );

    expect(summary.countsByType).toMatchObject({
      CustomObject: 11,
      CustomMetadata: 45,
      PermissionSet: 5,
      CustomPermission: 3,
      ExternalCredential: 1,
      NamedCredential: 1,
      SharingRules: 2,
    });
    const manifest = await readFile(join(outputDir, 'package.xml'), 'utf8');
    expect(manifest).toContain('<version>62.0</version>');
    expect(manifest).toContain(
      '<members>Opportunity.Cosell_Stage_Change_Guard</members>',
    );
    const opportunity = await readFile(
      join(outputDir, 'objects/Opportunity.object'),
      'utf8',
    );
    expect(opportunity).toContain('<fullName>Cosell_Stage__c</fullName>');
  });

  test('an unknown metadata folder fails the conversion', async () => {
    const packageDir = join(home, 'bad-package');
    await mkdir(join(packageDir, 'main/default/widgets'), { recursive: true });
    await writeFile(
      join(packageDir, 'main/default/widgets/Gear.widget-meta.xml'),
      '<Widget/>',
    );
    await expect(
      convertSource(packageDir, join(home, 'bad-out')),
    ).rejects.toThrow(
      /Gear\.widget-meta\.xml: Could not infer a metadata type/,
    );
  });
});
