import { afterEach, describe, expect, it } from '@jest/globals';
import { createCosellContext } from '../../../middleware/src/bootstrap.js';
import type { OrgSchema } from '../../../middleware/src/domain/schema.js';
import { ModelLoadError } from '../../../middleware/src/domain/stage-model.js';
import { readModelSource } from '../../../middleware/src/org/force-app/index.js';
import { DESCRIBED_OBJECTS } from '../../../middleware/src/org/salesforce/describe-schema.js';
import {
  PACKAGE_DIR,
  packageSchema,
  SILENT,
  startTestOrg,
  type TestOrg,
} from './salesforce-fixture.js';

let org: TestOrg | undefined;

afterEach(async () => {
  await org?.close();
  org = undefined;
});

/** The package schema without one Opportunity field, as describe shows it to a user who cannot read it. */
async function schemaWithout(field: string): Promise<OrgSchema> {
  const schema = structuredClone(await packageSchema());
  delete schema.Opportunity!.fields[field];
  return schema;
}

describe('SalesforceGateway schema and models', () => {
  it('describes the product objects in one call', async () => {
    org = await startTestOrg({ stageModels: false });
    const schema = await org.gateway.describeSchema();
    expect(org.apiCalls()).toBe(1);
    expect(org.standIn.requests[0]?.subrequestCount).toBe(
      DESCRIBED_OBJECTS.length,
    );
    const expected = await packageSchema();
    expect(Object.keys(schema).sort()).toEqual(Object.keys(expected).sort());
    expect(schema.Opportunity?.fields.Amount).toMatchObject({
      type: 'currency',
      label: expected.Opportunity?.fields.Amount?.label,
    });
    expect(schema.Stage_Request__c?.fields.Pending_Deal_Key__c).toMatchObject({
      type: 'string',
      unique: true,
      externalId: true,
    });
    expect(schema.Opportunity?.fields.Cosell_Stage__c?.picklistValues).toEqual(
      expected.Opportunity?.fields.Cosell_Stage__c?.picklistValues,
    );
    await org.gateway.describeSchema();
    expect(org.apiCalls()).toBe(1);
  });

  it('loads the metadata records in one call', async () => {
    org = await startTestOrg();
    await org.gateway.describeSchema();
    org.standIn.resetLog();
    const source = await org.gateway.loadModelSource();
    expect(org.apiCalls()).toBe(1);
    expect(org.standIn.requests[0]?.subrequestCount).toBe(3);
    const expected = await readModelSource(PACKAGE_DIR);
    const byName = <T extends { developerName: string }>(list: T[]) =>
      [...list].sort((a, b) => a.developerName.localeCompare(b.developerName));
    expect(byName(source.models)).toEqual(byName(expected.models));
    expect(byName(source.stages)).toEqual(byName(expected.stages));
    expect(byName(source.criteria)).toEqual(byName(expected.criteria));
    expect(source.origins?.Default_Registered).toBe(
      'Cosell_Stage__mdt.Default_Registered',
    );
  });

  it('builds the use-case context from the org', async () => {
    org = await startTestOrg();
    const context = await createCosellContext(org.gateway, {
      timeZone: 'UTC',
      logger: SILENT,
    });
    expect([...context.models.keys()].sort()).toEqual(['AWS_ACE', 'Default']);
    expect(context.plan.dealFields).toContain(
      'Customer_Evaluation_Confirmed_At__c',
    );
    expect(org.apiCalls()).toBe(2);
  });

  it('names the criterion that reads an unreadable field', async () => {
    org = await startTestOrg({
      schema: await schemaWithout('Customer_Evaluation_Confirmed_At__c'),
    });
    const loading = org.gateway.loadModelSource();
    await expect(loading).rejects.toBeInstanceOf(ModelLoadError);
    const error = (await loading.catch((e: unknown) => e)) as ModelLoadError;
    const records = error.problems.map((p) => p.record).sort();
    expect(records).toEqual([
      'AWS_ACE_Tech_Validation_Confirmed',
      'Default_Validating_Customer_Confirmed',
    ]);
    expect(error.message).toContain(
      'the field Opportunity.Customer_Evaluation_Confirmed_At__c',
    );
    expect(error.message).toContain('the integration user cannot read it');
    expect(error.message).toContain(
      'Exit_Criterion__mdt.Default_Validating_Customer_Confirmed',
    );
  });

  it('rejects a criterion kind it does not know', async () => {
    // An admin added a Kind__c value that the middleware has no meaning for.
    const schema = structuredClone(await packageSchema());
    schema.Exit_Criterion__mdt!.fields.Kind__c!.picklistValues!.push('Entry');
    org = await startTestOrg({ schema });
    const [stage] = org.standIn.records.all('Cosell_Stage__mdt');
    org.standIn.records.insert('Exit_Criterion__mdt', {
      DeveloperName: 'Default_Entry_Check',
      QualifiedApiName: 'Default_Entry_Check',
      MasterLabel: 'Entry check',
      Label: 'Entry check',
      Stage__c: stage!.Id,
      Kind__c: 'Entry',
      Formula__c: 'TRUE',
      Rule_Text__c: 'Always met.',
      Evidence_Label__c: 'Nothing',
      Order__c: 9,
      Is_Active__c: true,
    });
    const loading = org.gateway.loadModelSource();
    await expect(loading).rejects.toBeInstanceOf(ModelLoadError);
    await expect(loading).rejects.toThrow(
      'Default_Entry_Check (Exit_Criterion__mdt.Default_Entry_Check): Kind__c is "Entry"; use Exit or Closing',
    );
  });
});
