import path from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { readForceAppSchema } from '../../../middleware/src/org/force-app/index.js';
import {
  fieldXml,
  makePackage,
  objectXml,
  problemsOf as readProblems,
  type PackageFixture,
} from './package-fixture.js';

const OBJECTS = 'main/default/objects';
let fixture: PackageFixture | undefined;

afterEach(async () => {
  await fixture?.remove();
  fixture = undefined;
});

/** Reads the schema of a fixture made of `files` and returns its problems. */
async function problemsOf(files: Record<string, string>) {
  fixture = await makePackage(files);
  return readProblems(readForceAppSchema, fixture);
}

const textField = (name: string) =>
  fieldXml(
    `<fullName>${name}</fullName><label>${name}</label><type>Text</type><length>10</length>`,
  );

describe('readForceAppSchema errors', () => {
  test('malformed XML names file and line', async () => {
    const problems = await problemsOf({
      [`${OBJECTS}/Opportunity/fields/Broken__c.field-meta.xml`]:
        '<?xml version="1.0"?>\n<CustomField>\n<label>Broken</lable>\n</CustomField>\n',
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.file).toBe(
      fixture?.path(`${OBJECTS}/Opportunity/fields/Broken__c.field-meta.xml`),
    );
    expect(problems[0]?.message).toMatch(
      /^malformed XML at line 3, column \d+/,
    );
  });

  test('unknown field type is named', async () => {
    const problems = await problemsOf({
      [`${OBJECTS}/Opportunity/fields/Where__c.field-meta.xml`]: fieldXml(
        '<label>Where</label><type>Location</type>',
      ),
    });
    expect(problems[0]?.message).toMatch(
      /^unknown field type "Location"; supported types are Text,/,
    );
    expect(problems[0]?.file).toMatch(/Where__c\.field-meta\.xml$/);
  });

  test('lookup to unknown object', async () => {
    const problems = await problemsOf({
      [`${OBJECTS}/Opportunity/fields/Campaign_Ref__c.field-meta.xml`]:
        fieldXml(
          '<label>Campaign</label><type>Lookup</type><referenceTo>Campaign__c</referenceTo><relationshipName>Deals</relationshipName>',
        ),
    });
    expect(problems).toEqual([
      {
        file: fixture?.path(
          `${OBJECTS}/Opportunity/fields/Campaign_Ref__c.field-meta.xml`,
        ),
        message:
          'lookup to unknown object Campaign__c; add its object folder, or point <referenceTo> at an existing object',
      },
    ]);
  });

  test('custom object without a key prefix', async () => {
    const problems = await problemsOf({
      [`${OBJECTS}/Gadget__c/Gadget__c.object-meta.xml`]: objectXml('Gadget'),
    });
    expect(problems[0]?.message).toMatch(
      /^no key prefix is assigned to Gadget__c; add it to KEY_PREFIXES/,
    );
  });

  test('standard object not kept', async () => {
    const problems = await problemsOf({
      [`${OBJECTS}/Case/fields/Severity__c.field-meta.xml`]:
        textField('Severity__c'),
    });
    expect(problems[0]?.file).toBe(fixture?.path(`${OBJECTS}/Case`));
    expect(problems[0]?.message).toMatch(
      /^standard object Case is not one the product uses/,
    );
  });

  test('custom object without its object file', async () => {
    const problems = await problemsOf({
      [`${OBJECTS}/Deal_Partner__c/fields/Role__c.field-meta.xml`]:
        textField('Role__c'),
    });
    expect(problems[0]?.file).toBe(
      fixture?.path(
        `${OBJECTS}/Deal_Partner__c/Deal_Partner__c.object-meta.xml`,
      ),
    );
    expect(problems[0]?.message).toBe(
      'object file is missing; a custom object folder needs Deal_Partner__c.object-meta.xml',
    );
  });

  test('wrong root element', async () => {
    const problems = await problemsOf({
      [`${OBJECTS}/Opportunity/fields/Odd__c.field-meta.xml`]:
        '<?xml version="1.0"?><CustomObject><label>x</label></CustomObject>',
    });
    expect(problems[0]?.message).toBe(
      'expected a <CustomField> root element, found <CustomObject>',
    );
  });

  test('file name and fullName disagree', async () => {
    const problems = await problemsOf({
      [`${OBJECTS}/Opportunity/fields/Alpha__c.field-meta.xml`]:
        textField('Beta__c'),
    });
    expect(problems[0]?.message).toBe(
      '<fullName> Beta__c does not match the file name Alpha__c; rename one of them',
    );
  });

  test('formula field is rejected', async () => {
    const problems = await problemsOf({
      [`${OBJECTS}/Opportunity/fields/Score__c.field-meta.xml`]: fieldXml(
        '<label>Score</label><type>Number</type><formula>Amount * 2</formula>',
      ),
    });
    expect(problems[0]?.message).toMatch(/^formula fields are not supported/);
  });

  test('formula default is rejected', async () => {
    const problems = await problemsOf({
      [`${OBJECTS}/Opportunity/fields/Due__c.field-meta.xml`]: fieldXml(
        '<label>Due</label><type>Date</type><defaultValue>TODAY() + 7</defaultValue>',
      ),
    });
    expect(problems[0]?.message).toMatch(
      /^<defaultValue> TODAY\(\) \+ 7 is a formula/,
    );
  });

  test('duplicate child relationship name', async () => {
    const lookup = (name: string) =>
      fieldXml(
        `<label>${name}</label><type>Lookup</type><referenceTo>Account</referenceTo><relationshipName>Partner_Opportunities</relationshipName>`,
      );
    const problems = await problemsOf({
      [`${OBJECTS}/Opportunity/fields/Partner_Account__c.field-meta.xml`]:
        lookup('Partner'),
      [`${OBJECTS}/Opportunity/fields/Reseller__c.field-meta.xml`]:
        lookup('Reseller'),
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toBe(
      'child relationship Partner_Opportunities__r on Account is also used by Opportunity.Partner_Account__c; choose another <relationshipName>',
    );
  });

  test('global value set is rejected', async () => {
    const problems = await problemsOf({
      [`${OBJECTS}/Opportunity/fields/Tier__c.field-meta.xml`]: fieldXml(
        '<label>Tier</label><type>Picklist</type><valueSet><valueSetName>Tiers</valueSetName></valueSet>',
      ),
    });
    expect(problems[0]?.message).toMatch(/^uses the global value set Tiers/);
  });

  test('every problem is reported at once', async () => {
    const problems = await problemsOf({
      [`${OBJECTS}/Opportunity/fields/One__c.field-meta.xml`]:
        '<CustomField><oops',
      [`${OBJECTS}/Opportunity/fields/Two__c.field-meta.xml`]: fieldXml(
        '<label>Two</label><type>Hierarchy</type>',
      ),
      [`${OBJECTS}/Opportunity/fields/Three__c.field-meta.xml`]:
        textField('Three__c'),
    });
    expect(problems.map((p) => p.file.split('/').pop())).toEqual([
      'One__c.field-meta.xml',
      'Two__c.field-meta.xml',
    ]);
  });

  test('missing package directory', async () => {
    await expect(readForceAppSchema('/nonexistent/force-app')).rejects.toThrow(
      'The force-app metadata is invalid (1 problem):\n- /nonexistent/force-app: package directory not found; pass the folder that holds the metadata, such as force-app',
    );
  });

  test('project root instead of package directory', async () => {
    const root = path.resolve('.');
    await expect(readForceAppSchema(root)).rejects.toThrow(
      `${root}: is the root of an SFDX project (it contains sfdx-project.json), not a package directory; pass ${path.join(root, 'force-app')}`,
    );
  });

  test('project root names its default package directory', async () => {
    fixture = await makePackage({
      'sfdx-project.json': JSON.stringify({
        packageDirectories: [{ path: 'other' }, { path: 'app', default: true }],
      }),
    });
    const problems = await readProblems(readForceAppSchema, fixture);
    expect(problems.map((p) => p.message)).toEqual([
      `is the root of an SFDX project (it contains sfdx-project.json), not a package directory; pass ${fixture.path('app')}`,
    ]);
  });

  test('unlistable folder becomes a problem', async () => {
    const problems = await problemsOf({
      [`${OBJECTS}/Opportunity/fields`]: 'a file where a folder belongs',
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.file).toBe(fixture?.dir);
    expect(problems[0]?.message).toMatch(/^could not be read: ENOTDIR/);
  });

  test('a valid fixture reads without problems', async () => {
    fixture = await makePackage({
      'app/objects/Deal_Partner__c/Deal_Partner__c.object-meta.xml': objectXml(
        'Deal Partner',
        'AutoNumber',
      ),
      [`${OBJECTS}/Opportunity/fields/Three__c.field-meta.xml`]:
        textField('Three__c'),
    });
    const schema = await readForceAppSchema(fixture.dir);
    expect(schema['Opportunity']?.fields['Three__c']?.length).toBe(10);
    expect(schema['Deal_Partner__c']?.keyPrefix).toBe('a05');
    expect(schema['Deal_Partner__c']?.fields['OwnerId']).toBeDefined();
  });
});
