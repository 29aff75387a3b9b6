import { mkdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import {
  checkCrossReferences,
  type CrossReferenceOptions,
} from '../../scripts/checks/cross-reference.js';
import type { Finding } from '../../scripts/checks/finding.js';
import { copyFixture, DEFAULT, type FixtureCopy } from './fixture-package.js';

const CLASS = `${DEFAULT}/classes/FixtureDealController.cls`;
const LWC_JS = `${DEFAULT}/lwc/fixtureStagePath/fixtureStagePath.js`;
const LWC_HTML = `${DEFAULT}/lwc/fixtureStagePath/fixtureStagePath.html`;
const PERMISSION_SET = `${DEFAULT}/permissionsets/Fixture_Seller.permissionset-meta.xml`;
const STEP_CRITERION = `${DEFAULT}/customMetadata/Exit_Criterion.Default_Validating_Customer_Step.md-meta.xml`;
const OWNER_CRITERION = `${DEFAULT}/customMetadata/Exit_Criterion.Default_Registered_Owners_Named.md-meta.xml`;
const VALIDATING_STAGE = `${DEFAULT}/customMetadata/Cosell_Stage.Default_Validating.md-meta.xml`;
const STAGE_PICKLIST = `${DEFAULT}/objects/Opportunity/fields/Cosell_Stage__c.field-meta.xml`;

/** API name maps shaped like `api-names.ts`, naming only what the fixture has. */
const FIXTURE_MAPS = {
  OBJECTS: { opportunity: 'Opportunity', planStep: 'Close_Plan_Step__c' },
  OPPORTUNITY_FIELDS: { stage: 'Cosell_Stage__c', model: 'Cosell_Model__c' },
  RELATIONSHIPS: { planSteps: 'Close_Plan_Steps__r' },
};
const OPTIONS: CrossReferenceOptions = {
  apiNameMaps: FIXTURE_MAPS,
  apiNamesFile: 'api-names.ts',
};

let fixture: FixtureCopy;

beforeEach(async () => {
  fixture = await copyFixture();
});

afterEach(async () => {
  await fixture.remove();
});

function check(): Promise<Finding[]> {
  return checkCrossReferences(fixture.dir, OPTIONS);
}

describe('checkCrossReferences', () => {
  test('fixture package resolves', async () => {
    expect(await check()).toEqual([]);
  });

  // Each case breaks one name in one file, and the finding must name both.
  const brokenNames: Array<[string, string, string, string, string]> = [
    [
      'SOQL field',
      CLASS,
      'Cosell_Stage__c,',
      'Cosell_Stag__c,',
      'Opportunity.Cosell_Stag__c',
    ],
    [
      'SOQL lookup path',
      CLASS,
      'Vendor_Owner__r.Name',
      'Vendor_Ownr__r.Name',
      'Opportunity.Vendor_Ownr__r.Name',
    ],
    [
      'SOQL child relationship',
      CLASS,
      'FROM Close_Plan_Steps__r',
      'FROM Close_Plan_Stepz__r',
      'Opportunity.Close_Plan_Stepz__r',
    ],
    [
      'SOQL subquery field',
      CLASS,
      'SELECT Owner_Side__c',
      'SELECT Owner_Sid__c',
      'Close_Plan_Step__c.Owner_Sid__c',
    ],
    [
      'Apex field token',
      CLASS,
      'Opportunity.Customer_Evaluation_Confirmed_At__c',
      'Opportunity.Customer_Evaluation_Confirmed_On__c',
      'Opportunity.Customer_Evaluation_Confirmed_On__c',
    ],
    [
      'Apex constructor field',
      CLASS,
      'Owner_Side__c = ',
      'Owner_Sde__c = ',
      'Close_Plan_Step__c.Owner_Sde__c',
    ],
    [
      'Apex field on a variable',
      CLASS,
      'deal.Cosell_Model__c',
      'deal.Cosell_Modl__c',
      'Cosell_Modl__c',
    ],
    [
      'Apex object type',
      CLASS,
      'public static Schema.Close_Plan_Step__c',
      'public static Schema.Close_Plan_Stp__c',
      'Close_Plan_Stp__c',
    ],
    [
      'Apex custom permission',
      CLASS,
      "checkPermission('Cosell_Integration')",
      "checkPermission('Cosell_Integrator')",
      'Cosell_Integrator',
    ],
    [
      'LWC Apex import',
      LWC_JS,
      'FixtureDealController.getDeal',
      'FixtureDealController.getDeals',
      'FixtureDealController.getDeals',
    ],
    [
      'LWC Apex class',
      LWC_JS,
      'apex/FixtureDealController.',
      'apex/FixtureDealControler.',
      'FixtureDealControler.getDeal',
    ],
    [
      'LWC schema field',
      LWC_JS,
      'schema/Opportunity.Cosell_Stage__c',
      'schema/Opportunity.Cosell_Stages__c',
      'Opportunity.Cosell_Stages__c',
    ],
    [
      'LWC schema path',
      LWC_JS,
      'Vendor_Owner__r.Name',
      'Vendor_Owner__r.Nme',
      'Opportunity.Vendor_Owner__r.Nme',
    ],
    [
      'LWC label',
      LWC_JS,
      'c.Fixture_Request_Stage',
      'c.Fixture_Request_Stag',
      'c.Fixture_Request_Stag',
    ],
    [
      'LWC custom permission',
      LWC_JS,
      'customPermission/Cosell_Integration',
      'customPermission/Cosell_Integrator',
      'Cosell_Integrator',
    ],
    [
      'LWC field string',
      LWC_JS,
      "'Opportunity.Cosell_Model__c'",
      "'Opportunity.Cosell_Modle__c'",
      'Opportunity.Cosell_Modle__c',
    ],
    [
      'LWC field on a variable',
      LWC_JS,
      'deal.Customer_Evaluation_Confirmed_At__c',
      'deal.Customer_Confirmed_At__c',
      'Customer_Confirmed_At__c',
    ],
    [
      'LWC template field',
      LWC_HTML,
      '{deal.Cosell_Stage__c}',
      '{deal.Cosell_Stge__c}',
      'Cosell_Stge__c',
    ],
    [
      'criterion child field',
      STEP_CRITERION,
      'ISPICKVAL(Owner_Side__c',
      'ISPICKVAL(Owner_Sde__c',
      'Owner_Sde__c',
    ],
    [
      'criterion lookup',
      OWNER_CRITERION,
      'Vendor_Owner__r.Email',
      'Vendor_Ownr__r.Email',
      'Vendor_Ownr__r',
    ],
    [
      'permission set class',
      PERMISSION_SET,
      '<apexClass>FixtureDealController',
      '<apexClass>FixtureDealControler',
      'FixtureDealControler',
    ],
    [
      'permission set field',
      PERMISSION_SET,
      'Opportunity.Cosell_Stage__c',
      'Opportunity.Cosell_Stge__c',
      'Opportunity.Cosell_Stge__c',
    ],
    [
      'permission set object',
      PERMISSION_SET,
      '<object>Close_Plan_Step__c',
      '<object>Close_Plan_Stp__c',
      'Close_Plan_Stp__c',
    ],
    [
      'permission set metadata type',
      PERMISSION_SET,
      '<name>Exit_Criterion__mdt',
      '<name>Exit_Criteria__mdt',
      'Exit_Criteria__mdt',
    ],
    [
      'permission set custom permission',
      PERMISSION_SET,
      '<name>Cosell_Integration',
      '<name>Cosell_Integrator',
      'Cosell_Integrator',
    ],
  ];

  test.each(brokenNames)(
    'broken %s names file and name',
    async (_case, file, from, to, name) => {
      await fixture.replace(file, from, to);

      const findings = await check();

      expect(findings).toContainEqual(
        expect.objectContaining({ file: fixture.path(file), name }),
      );
      expect(
        findings.every((finding) => finding.file === fixture.path(file)),
      ).toBe(true);
    },
  );

  test('finding gives line and fix', async () => {
    await fixture.replace(CLASS, 'deal.Cosell_Model__c', 'deal.Cosell_Modl__c');

    const [finding] = await check();

    expect(finding?.message).toBe(
      'line 24: no custom object, field or relationship named Cosell_Modl__c is defined in force-app; fix the name or add its metadata',
    );
  });

  test('an Apex sharing reason resolves once its metadata exists', async () => {
    const shareClass = `${DEFAULT}/classes/FixtureShare.cls`;
    await fixture.write(
      shareClass,
      'public with sharing class FixtureShare {\n    public static final String CAUSE = Schema.Close_Plan_Step__Share.RowCause.Partner_Access__c;\n}\n',
    );

    expect(await check()).toEqual([
      expect.objectContaining({
        file: fixture.path(shareClass),
        name: 'Partner_Access__c',
      }),
    ]);

    const reasons = `${DEFAULT}/objects/Close_Plan_Step__c/sharingReasons`;
    await mkdir(fixture.path(reasons));
    await fixture.write(
      `${reasons}/Partner_Access.sharingReason-meta.xml`,
      '<?xml version="1.0" encoding="UTF-8"?>\n<SharingReason xmlns="http://soap.sforce.com/2006/04/metadata">\n    <label>Partner Access</label>\n</SharingReason>\n',
    );

    expect(await check()).toEqual([]);
  });

  test('static method without @AuraEnabled is not importable', async () => {
    await fixture.replace(CLASS, '@AuraEnabled(cacheable=true)\n', '');

    const findings = await check();

    expect(findings).toEqual([
      expect.objectContaining({
        file: fixture.path(LWC_JS),
        name: 'FixtureDealController.getDeal',
        message:
          'line 2: FixtureDealController has no static @AuraEnabled method getDeal; add the annotation or fix the import',
      }),
    ]);
  });

  test('stage value missing from picklist', async () => {
    await fixture.replace(
      VALIDATING_STAGE,
      '<value xsi:type="xsd:string">Validating</value>',
      '<value xsi:type="xsd:string">Validatin</value>',
    );

    const findings = await check();

    expect(findings).toContainEqual(
      expect.objectContaining({
        check: 'stage-values',
        file: fixture.path(VALIDATING_STAGE),
        name: 'Validatin',
      }),
    );
    expect(findings).toContainEqual(
      expect.objectContaining({
        check: 'stage-values',
        file: fixture.path(STAGE_PICKLIST),
        name: 'Validating',
        message:
          'picklist value "Validating" is the Stage_Value__c of no Cosell_Stage__mdt record; add the stage record or remove the value',
      }),
    );
  });

  test('broken middleware map names map file', async () => {
    const findings = await checkCrossReferences(fixture.dir, {
      apiNamesFile: 'api-names.ts',
      apiNameMaps: {
        ...FIXTURE_MAPS,
        OPPORTUNITY_FIELDS: { stage: 'Cosell_Stag__c' },
        RELATIONSHIPS: { planSteps: 'Close_Plan_Stepz__r' },
        PARTNER_FIELDS: { split: 'Split_Percent__c' },
      },
    });

    expect(findings.map(({ file, name }) => ({ file, name }))).toEqual([
      { file: 'api-names.ts', name: 'PARTNER_FIELDS' },
      { file: 'api-names.ts', name: 'Opportunity.Cosell_Stag__c' },
      { file: 'api-names.ts', name: 'Opportunity.Close_Plan_Stepz__r' },
    ]);
  });

  test('malformed field file gives file and reason', async () => {
    const file = `${DEFAULT}/objects/Opportunity/fields/Cosell_Model__c.field-meta.xml`;
    await fixture.write(
      file,
      '<?xml version="1.0"?>\n<CustomField><label>Model</CustomField>\n',
    );

    const findings = await check();

    expect(findings).toHaveLength(1);
    expect(findings[0]?.file).toBe(fixture.path(file));
    expect(findings[0]?.message).toMatch(
      /^malformed XML at line 2, column \d+: /,
    );
  });

  test('malformed labels file gives file and reason', async () => {
    const file = `${DEFAULT}/labels/CustomLabels.labels-meta.xml`;
    await fixture.replace(file, '</CustomLabels>', '');

    const findings = await check();

    expect(findings).toContainEqual(
      expect.objectContaining({
        file: fixture.path(file),
        message: expect.stringMatching(/^malformed XML/),
      }),
    );
  });

  test('malformed permission set gives file and reason', async () => {
    await fixture.replace(PERMISSION_SET, '<label>', '<label');

    const findings = await check();

    expect(findings).toEqual([
      expect.objectContaining({
        file: fixture.path(PERMISSION_SET),
        message: expect.stringMatching(/^malformed XML/),
      }),
    ]);
  });

  test('criterion without formula gives file and field', async () => {
    await fixture.replace(
      STEP_CRITERION,
      '<field>Formula__c</field>',
      '<field>Formula_Text__c</field>',
    );

    const findings = await check();

    expect(findings).toEqual([
      expect.objectContaining({
        file: fixture.path(STEP_CRITERION),
        message: expect.stringMatching(
          /^<field>Formula_Text__c<\/field> is not a field of Exit_Criterion__mdt, so a deploy rejects the record; its fields are /,
        ),
      }),
      expect.objectContaining({
        file: fixture.path(STEP_CRITERION),
        message: 'Formula__c is missing',
      }),
    ]);
  });

  test('record value that does not fit its field gives file and field', async () => {
    await fixture.replace(
      VALIDATING_STAGE,
      '<field>Order__c</field>\n        <value xsi:type="xsd:double">3</value>',
      '<field>Order__c</field>\n        <value xsi:type="xsd:double">2.5</value>',
    );

    expect(await check()).toEqual([
      expect.objectContaining({
        file: fixture.path(VALIDATING_STAGE),
        message:
          'Order__c = "2.5": is not a whole number; this field has no decimal places (the field is Number(3, 0))',
      }),
    ]);
  });

  test('an object problem is reported before the records are read', async () => {
    await fixture.replace(
      STAGE_PICKLIST,
      '<type>Picklist</type>',
      '<type>Gibberish</type>',
    );

    const findings = await check();

    expect(findings).toEqual([
      expect.objectContaining({
        file: fixture.path(STAGE_PICKLIST),
        message: expect.stringMatching(/^unknown field type "Gibberish"/),
      }),
    ]);
  });
});
