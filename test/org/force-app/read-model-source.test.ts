import { afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import type { ModelSource } from '../../../middleware/src/domain/model.js';
import type { OrgSchema } from '../../../middleware/src/domain/schema.js';
import {
  readForceAppSchema,
  readModelSource,
} from '../../../middleware/src/org/force-app/index.js';
import {
  makePackage,
  metadataTypeFiles,
  problemsOf as readProblems,
  recordXml,
  type PackageFixture,
} from './package-fixture.js';

let source: ModelSource;
let schema: OrgSchema;

beforeAll(async () => {
  source = await readModelSource('force-app');
  schema = await readForceAppSchema('force-app');
});

const stagesOf = (model: string) =>
  source.stages
    .filter((stage) => stage.model === model)
    .sort((a, b) => a.order - b.order);

const formulasOf = (stage: string) =>
  source.criteria
    .filter((criterion) => criterion.stage === stage)
    .sort((a, b) => a.order - b.order)
    .map((criterion) => [criterion.kind, criterion.formula]);

describe('readModelSource on force-app', () => {
  test('Default model record', () => {
    const model = source.models.find((m) => m.developerName === 'Default');
    expect(model).toMatchObject({
      label: 'Default',
      requestExpiryHours: 72,
      registrationExpiryDays: 90,
      vendorOnlyFields: [
        'Probability',
        'ExpectedRevenue',
        'ForecastCategoryName',
      ],
    });
    expect(model?.vendorOnlyFields).not.toContain('Amount');
    expect(model?.description).toMatch(/Vendor-only fields/);
  });

  test('Default stages match the design table', () => {
    expect(
      stagesOf('Default').map((s) => [
        s.developerName,
        s.value,
        s.order,
        s.probability,
        s.forecastCategory,
        s.stallDays,
        s.closed,
        s.won,
      ]),
    ).toEqual([
      ['Default_Registered', 'Registered', 1, 10, 'Pipeline', 14, false, false],
      [
        'Default_Jointly_Qualified',
        'Jointly_Qualified',
        2,
        25,
        'Pipeline',
        21,
        false,
        false,
      ],
      [
        'Default_Validating',
        'Validating',
        3,
        50,
        'Best Case',
        30,
        false,
        false,
      ],
      ['Default_Negotiating', 'Negotiating', 4, 75, 'Commit', 21, false, false],
      [
        'Default_Closed_Attributed',
        'Closed_Attributed',
        5,
        100,
        'Closed',
        null,
        true,
        true,
      ],
      [
        'Default_Closed_Lost',
        'Closed_Lost',
        6,
        0,
        'Omitted',
        null,
        true,
        false,
      ],
    ]);
  });

  test('Default criteria formulas', () => {
    expect(formulasOf('Default_Registered')).toEqual([
      [
        'Exit',
        'COUNT(Deal_Registrations__r, AND(OR(ISPICKVAL(Status__c, "Approved"), ISPICKVAL(Status__c, "Converted")), ISPICKVAL(Conflict_Status__c, "Clear"))) >= 1',
      ],
      [
        'Exit',
        'AND(NOT(ISBLANK(Vendor_Owner__c)), NOT(ISBLANK(Partner_Owner__c)))',
      ],
    ]);
    expect(formulasOf('Default_Jointly_Qualified')).toEqual([
      [
        'Exit',
        'COUNT(Joint_Qualifications__r, AND(NOT(ISBLANK(Need__c)), NOT(ISBLANK(Budget__c)), NOT(ISBLANK(Reason_To_Act__c)), NOT(ISBLANK(Joint_Value__c)))) >= 1',
      ],
      [
        'Exit',
        'COUNT(Joint_Qualifications__r, AND(NOT(ISBLANK(Need__c)), NOT(ISBLANK(Budget__c)), NOT(ISBLANK(Reason_To_Act__c)), NOT(ISBLANK(Joint_Value__c)), NOT(ISBLANK(Vendor_Confirmed_By__c)), NOT(ISBLANK(Partner_Confirmed_By__c)))) >= 1',
      ],
    ]);
    expect(formulasOf('Default_Validating')).toEqual([
      ['Exit', 'NOT(ISBLANK(Customer_Evaluation_Confirmed_At__c))'],
      [
        'Exit',
        'COUNT(Close_Plan_Steps__r, ISPICKVAL(Owner_Side__c, "Customer")) >= 1',
      ],
    ]);
    expect(formulasOf('Default_Negotiating')).toEqual([
      ['Exit', 'COUNT(Deal_Approvals__r) >= 1'],
      [
        'Exit',
        'ALL(Deal_Approvals__r, AND(NOT(ISBLANK(Owner__c)), NOT(ISBLANK(Handoff_Counterpart__c)), NOT(ISBLANK(Opportunity__r.Partner_Account__c)), OR(AND(ISBLANK(Owner__r.AccountId), Handoff_Counterpart__r.AccountId = Opportunity__r.Partner_Account__c), AND(ISBLANK(Handoff_Counterpart__r.AccountId), Owner__r.AccountId = Opportunity__r.Partner_Account__c))))',
      ],
    ]);
    expect(formulasOf('Default_Closed_Attributed')).toEqual([
      ['Closing', 'IsWon'],
      [
        'Closing',
        'COUNT(Deal_Partners__r, ISPICKVAL(Role__c, "Sourcing")) <= 1',
      ],
      ['Closing', 'SUM(Deal_Partners__r, Split_Percent__c) = 100'],
    ]);
    expect(formulasOf('Default_Closed_Lost')).toEqual([
      ['Closing', 'NOT(ISBLANK(TEXT(Closed_Lost_Reason__c)))'],
    ]);
  });

  test('AWS_ACE stages follow the ACE lifecycle', () => {
    expect(
      stagesOf('AWS_ACE').map((s) => [s.label, s.value, s.closed, s.won]),
    ).toEqual([
      ['Prospect', 'ACE_Prospect', false, false],
      ['Qualified', 'ACE_Qualified', false, false],
      ['Technical Validation', 'ACE_Technical_Validation', false, false],
      ['Business Validation', 'ACE_Business_Validation', false, false],
      ['Committed', 'ACE_Committed', false, false],
      ['Launched', 'ACE_Launched', true, true],
      ['Closed Lost', 'Closed_Lost', true, false],
    ]);
  });

  test('every open ACE stage has exit criteria', () => {
    for (const stage of stagesOf('AWS_ACE')) {
      const kinds = formulasOf(stage.developerName).map(([kind]) => kind);
      expect([stage.developerName, kinds.length > 0]).toEqual([
        stage.developerName,
        true,
      ]);
      expect(new Set(kinds)).toEqual(
        new Set([stage.closed ? 'Closing' : 'Exit']),
      );
    }
  });

  test('records agree with the schema', () => {
    const picklist =
      schema['Opportunity']?.fields['Cosell_Stage__c']?.picklistValues;
    const opportunityFields = Object.keys(schema['Opportunity']?.fields ?? {});
    const models = source.models.map((m) => m.developerName);
    const stages = source.stages.map((s) => s.developerName);
    for (const stage of source.stages) {
      expect(picklist).toContain(stage.value);
      expect(models).toContain(stage.model);
    }
    for (const criterion of source.criteria) {
      expect(stages).toContain(criterion.stage);
      expect(criterion.ruleText.length).toBeGreaterThan(0);
      expect(criterion.active).toBe(true);
    }
    for (const model of source.models) {
      for (const name of model.vendorOnlyFields)
        expect(opportunityFields).toContain(name);
    }
  });

  test('each model has one won and one lost stage', () => {
    for (const model of source.models) {
      const stages = stagesOf(model.developerName);
      expect(stages.filter((s) => s.won)).toHaveLength(1);
      expect(stages.filter((s) => s.closed && !s.won)).toHaveLength(1);
    }
  });

  test('origins map names to files', () => {
    expect(source.origins?.['Default_Registered']).toBe(
      'force-app/main/default/customMetadata/Cosell_Stage.Default_Registered.md-meta.xml',
    );
    expect(source.origins?.['AWS_ACE']).toBe(
      'force-app/main/default/customMetadata/Cosell_Model.AWS_ACE.md-meta.xml',
    );
    const named =
      source.models.length + source.stages.length + source.criteria.length;
    expect(Object.keys(source.origins ?? {})).toHaveLength(named);
  });
});

describe('readModelSource errors', () => {
  let fixture: PackageFixture | undefined;
  const folder = 'main/default/customMetadata';

  afterEach(async () => {
    await fixture?.remove();
    fixture = undefined;
  });

  let types: Record<string, string>;

  beforeAll(async () => {
    types = await metadataTypeFiles();
  });

  /** Makes a package of the record files and the types' object files. */
  async function packageOf(files: Record<string, string | Uint8Array>) {
    fixture = await makePackage({ ...types, ...files });
    return fixture;
  }

  async function problemsOf(files: Record<string, string | Uint8Array>) {
    const made = await packageOf(files);
    const problems = await readProblems(readModelSource, made);
    const root = made.dir.length;
    return problems.map((p) => [p.file.slice(root), p.message]);
  }

  const stage = (values: Record<string, string | null>) =>
    recordXml('Registered', {
      Model__c: 'Default',
      Stage_Value__c: 'Registered',
      Order__c: '1',
      Probability__c: '10',
      Forecast_Category__c: 'Pipeline',
      Stall_Days__c: '14',
      Is_Closed__c: 'false',
      Is_Won__c: 'false',
      ...values,
    });

  test('missing and malformed values name file and field', async () => {
    const file = `/${folder}/Cosell_Stage.Default_Registered.md-meta.xml`;
    expect(
      await problemsOf({
        [file]: stage({
          Order__c: null,
          Probability__c: 'ten',
          Is_Won__c: 'yes',
          Forecast_Category__c: 'Maybe',
        }),
      }),
    ).toEqual([
      [
        file,
        'Probability__c = "ten": is not a number; use a number such as 3.75 (the field is Number(5, 2))',
      ],
      [
        file,
        'Forecast_Category__c = "Maybe": "Maybe" is not a value of this restricted picklist; use one of: Pipeline, Best Case, Commit, Closed, Omitted',
      ],
      [file, 'Is_Won__c = "yes": is not a checkbox value; use true or false'],
      [file, 'Order__c is missing'],
    ]);
  });

  test('criterion kind and formula are checked', async () => {
    const file = `/${folder}/Exit_Criterion.Default_Owners.md-meta.xml`;
    expect(
      await problemsOf({
        [file]: recordXml('Owners', {
          Stage__c: 'Default_Registered',
          Kind__c: 'Entry',
          Formula__c: null,
          Rule_Text__c: 'Owners are named.',
          Order__c: '1',
        }),
      }),
    ).toEqual([
      [
        file,
        'Kind__c = "Entry": "Entry" is not a value of this restricted picklist; use one of: Exit, Closing',
      ],
      [file, 'Formula__c is missing'],
      [file, 'Evidence_Label__c is missing'],
    ]);
  });

  test('malformed record file', async () => {
    const file = `/${folder}/Cosell_Model.Default.md-meta.xml`;
    const problems = await problemsOf({
      [file]: '<CustomMetadata><label>x</label>',
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.[0]).toBe(file);
    expect(problems[0]?.[1]).toMatch(/^malformed XML at line 1/);
  });

  test('defaults for blank optional values', async () => {
    const made = await packageOf({
      [`${folder}/Cosell_Stage.Default_Closed_Lost.md-meta.xml`]: stage({
        Stall_Days__c: null,
        Is_Won__c: null,
      }),
      [`${folder}/Exit_Criterion.Default_Reason.md-meta.xml`]: recordXml(
        'Reason',
        {
          Stage__c: 'Default_Closed_Lost',
          Kind__c: 'Closing',
          Formula__c: 'NOT(ISBLANK(TEXT(Closed_Lost_Reason__c)))',
          Rule_Text__c: 'A reason is given.',
          Evidence_Label__c: 'Closed lost reason',
          Order__c: '1',
        },
      ),
      [`${folder}/Other_Type.Something.md-meta.xml`]: 'not even XML',
    });
    const read = await readModelSource(made.dir);
    expect(read.stages[0]?.stallDays).toBeNull();
    expect(read.stages[0]?.won).toBe(false);
    expect(read.criteria[0]?.active).toBe(true);
    expect(read.criteria[0]?.evidenceLabel).toBe('Closed lost reason');
    expect(read.models).toEqual([]);
  });

  test('vendor-only fields split by line', async () => {
    const made = await packageOf({
      [`${folder}/Cosell_Model.Default.md-meta.xml`]: recordXml('Default', {
        Request_Expiry_Hours__c: '48',
        Registration_Expiry_Days__c: '30',
        Vendor_Only_Fields__c: 'Probability\r\n\n  ExpectedRevenue  \n',
      }),
    });
    const read = await readModelSource(made.dir);
    expect(read.models[0]).toEqual({
      developerName: 'Default',
      label: 'Default',
      requestExpiryHours: 48,
      registrationExpiryDays: 30,
      vendorOnlyFields: ['Probability', 'ExpectedRevenue'],
    });
  });
});
