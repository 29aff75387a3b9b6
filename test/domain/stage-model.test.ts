import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { failedStart } from '../helpers/failed-start.js';
import { copyPackageWithChange } from '../helpers/local-store.js';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { ModelSource } from '../../middleware/src/domain/model.js';
import type { OrgSchema } from '../../middleware/src/domain/schema.js';
import {
  ModelLoadError,
  inactiveCriterionProblems,
  loadStageModels,
} from '../../middleware/src/domain/stage-model.js';
import {
  readForceAppSchema,
  readModelSource,
} from '../../middleware/src/org/force-app/index.js';

let schema: OrgSchema;
let source: ModelSource;

beforeAll(async () => {
  schema = await readForceAppSchema('force-app');
  source = await readModelSource('force-app');
});

function copy(): ModelSource {
  return structuredClone(source);
}

function problemsOf(broken: ModelSource): string[] {
  try {
    loadStageModels(broken, schema);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelLoadError);
    return (error as ModelLoadError).problems.map(
      (p) => `${p.record}: ${p.message}`,
    );
  }
  throw new Error('the broken model loaded');
}

describe('loadStageModels', () => {
  it('loads the shipped models in order', () => {
    const models = loadStageModels(source, schema);
    const model = models.get('Default')!;
    expect(model.stages.map((s) => s.value)).toEqual([
      'Registered',
      'Jointly_Qualified',
      'Validating',
      'Negotiating',
      'Closed_Attributed',
      'Closed_Lost',
    ]);
    expect(model.wonStage.value).toBe('Closed_Attributed');
    expect(model.lostStage.value).toBe('Closed_Lost');
    expect(
      model.stageByValue.get('Registered')!.exitCriteria.length,
    ).toBeGreaterThan(0);
    expect(models.get('AWS_ACE')!.openStages.length).toBe(5);
  });

  it('names a duplicate order', () => {
    const broken = copy();
    broken.stages.find((s) => s.developerName === 'Default_Validating')!.order =
      2;
    expect(problemsOf(broken).join('\n')).toMatch(
      /Default_Validating: Order__c 2 is also used by Default_Jointly_Qualified/,
    );
  });

  it('names a criterion on an unknown stage', () => {
    const broken = copy();
    broken.criteria[0]!.stage = 'Default_Nowhere';
    expect(problemsOf(broken).join('\n')).toContain('names "Default_Nowhere"');
  });

  it('names a criterion on an unknown field with its position', () => {
    const broken = copy();
    const criterion = broken.criteria.find(
      (c) => c.stage === 'Default_Validating',
    )!;
    criterion.formula = 'NOT(ISBLANK(Customer_Evaluation_Confirmd_At__c))';
    const [problem] = ((): ModelLoadError['problems'] => {
      try {
        loadStageModels(broken, schema);
        return [];
      } catch (error) {
        return (error as ModelLoadError).problems;
      }
    })();
    expect(problem?.record).toBe(criterion.developerName);
    expect(problem?.message).toContain('Customer_Evaluation_Confirmd_At__c');
    expect(problem?.line).toBe(1);
    expect(problem?.column).toBe(13);
  });

  it('names the file position of a formula error when the source has it', () => {
    const broken = copy();
    const criterion = broken.criteria.find(
      (c) => c.stage === 'Default_Validating',
    )!;
    criterion.formula = 'NOT(ISBLANK(Customer_Evaluation_Confirmd_At__c))';
    // The formula starts at line 11, column 38 of its file, its "(" escaped as
    // an entity of four characters.
    broken.formulasInFiles = {
      [criterion.developerName]: {
        text: criterion.formula,
        runs: [
          [0, 11, 38],
          [4, 11, 45],
        ],
      },
    };
    const error = (() => {
      try {
        loadStageModels(broken, schema);
      } catch (caught) {
        return caught as ModelLoadError;
      }
      throw new Error('the broken model loaded');
    })();
    const [problem] = error.problems;
    expect(problem).toMatchObject({
      line: 1,
      column: 13,
      filePosition: { line: 11, column: 53 },
    });
    expect(problem?.message).toMatch(
      /^Formula__c line 1, column 13: unknown field Customer_Evaluation_Confirmd_At__c/,
    );
    const origin = broken.origins![criterion.developerName]!;
    expect(error.message).toContain(
      `- ${criterion.developerName} (${origin}:11:53): Formula__c line 1, column 13: `,
    );
  });

  it('omits file position for other formula', () => {
    const broken = copy();
    const criterion = broken.criteria.find(
      (c) => c.stage === 'Default_Validating',
    )!;
    criterion.formula = 'NOT(ISBLANK(Customer_Evaluation_Confirmd_At__c))';
    const [problem] = ((): ModelLoadError['problems'] => {
      try {
        loadStageModels(broken, schema);
        return [];
      } catch (error) {
        return (error as ModelLoadError).problems;
      }
    })();
    expect(problem?.filePosition).toBeUndefined();
    expect(problem?.line).toBe(1);
  });

  it('names expiry settings that are not whole numbers in range', () => {
    const broken = copy();
    const model = broken.models.find((m) => m.developerName === 'Default')!;
    model.requestExpiryHours = 1e12;
    model.registrationExpiryDays = 0.0001;
    expect(problemsOf(broken)).toEqual([
      'Default: Request_Expiry_Hours__c must be a whole number of hours from 1 to 999999, not 1000000000000',
      'Default: Registration_Expiry_Days__c must be a whole number of days from 1 to 9999, not 0.0001',
    ]);
  });

  it('names vendor-only fields a partner must see, and fields listed twice', () => {
    const broken = copy();
    const model = broken.models.find((m) => m.developerName === 'Default')!;
    model.vendorOnlyFields = [
      'Id',
      'Cosell_Stage__c',
      'Partner_Account__c',
      'Partner_Owner__c',
      'Amount',
      'Probability',
      'Probability',
      'Probability',
    ];
    expect(problemsOf(broken)).toEqual([
      'Default: Vendor_Only_Fields__c lists Id, which partner users must see: every response names the deal by it; remove it from the list',
      'Default: Vendor_Only_Fields__c lists Cosell_Stage__c, which partner users must see: it is the co-sell stage both sides confirm, which the API always shows; remove it from the list',
      'Default: Vendor_Only_Fields__c lists Partner_Account__c, which partner users must see: it decides which partner may see the deal, and the API always shows it as partnerAccount; remove it from the list',
      'Default: Vendor_Only_Fields__c lists Partner_Owner__c, which partner users must see: the partner owner confirms stage moves, and the API always shows it as partnerOwner; remove it from the list',
      'Default: Vendor_Only_Fields__c lists Probability more than once; keep one line for it',
    ]);
  });

  it.each([
    'Name',
    'CurrencyIsoCode',
    'Cosell_Model__c',
    'Cosell_Stage_Entered_At__c',
    'Cosell_Stage_Version__c',
    'Vendor_Owner__c',
  ])('rejects %s as a vendor-only field', (field) => {
    const broken = copy();
    broken.models[0]!.vendorOnlyFields = [field];
    expect(problemsOf(broken).join('\n')).toContain(
      `Vendor_Only_Fields__c lists ${field}, which partner users must see: `,
    );
  });

  it('names the right case of a vendor-only field', () => {
    const broken = copy();
    const model = broken.models.find((m) => m.developerName === 'Default')!;
    model.vendorOnlyFields = ['amount', 'PROBABILITY', 'No_Such_Field__c'];

    expect(problemsOf(broken)).toEqual([
      'Default: Vendor_Only_Fields__c lists "amount", which is not an Opportunity field; field names are case-sensitive, so write Amount',
      'Default: Vendor_Only_Fields__c lists "PROBABILITY", which is not an Opportunity field; field names are case-sensitive, so write Probability',
      'Default: Vendor_Only_Fields__c lists "No_Such_Field__c", which is not an Opportunity field',
    ]);
  });

  it('accepts Amount and CloseDate as vendor-only fields', () => {
    const changed = copy();
    changed.models[0]!.vendorOnlyFields = ['Amount', 'CloseDate'];
    expect(loadStageModels(changed, schema).size).toBe(2);
  });

  it('names an unparsable formula', () => {
    const broken = copy();
    broken.criteria[0]!.formula = 'AND(IsWon,';
    expect(problemsOf(broken).join('\n')).toMatch(/line 1, column \d+/);
  });

  it('names a stage value missing from the picklist', () => {
    const broken = copy();
    broken.stages.find(
      (s) => s.developerName === 'Default_Negotiating',
    )!.value = 'Haggling';
    expect(problemsOf(broken).join('\n')).toContain(
      'Stage_Value__c "Haggling" is not a value of the Opportunity.Cosell_Stage__c picklist',
    );
  });

  it('names two stages with one label', () => {
    const broken = copy();
    broken.stages.find((s) => s.developerName === 'Default_Validating')!.label =
      'Jointly Qualified';
    expect(problemsOf(broken)).toEqual([
      'Default_Validating: the label "Jointly Qualified" is also the label of Default_Jointly_Qualified in model Default; give each stage its own label, because people tell the stages apart by it',
    ]);
  });

  it.each([
    ['a zero-width space', 'Jointly\u200B Qualified'],
    ['another case', 'jointly qualified'],
    ['other spaces', ' Jointly  Qualified'],
  ])('names a label that differs by %s', (_case, label) => {
    const broken = copy();
    broken.stages.find((s) => s.developerName === 'Default_Validating')!.label =
      label;
    expect(problemsOf(broken).join('\n')).toContain(
      `Default_Validating: the label ${JSON.stringify(label)} is also the label of Default_Jointly_Qualified in model Default`,
    );
  });

  it('accepts one label in two models', () => {
    const changed = copy();
    changed.stages.find((s) => s.developerName === 'AWS_ACE_Qualified')!.label =
      'Jointly Qualified';
    expect(loadStageModels(changed, schema).size).toBe(2);
  });

  it('names a duplicate criterion order', () => {
    const broken = copy();
    broken.criteria.find(
      (c) => c.developerName === 'Default_Qualified_Both_Sides_Confirmed',
    )!.order = 1;
    expect(problemsOf(broken)).toEqual([
      'Default_Qualified_Content_Complete: Order__c 1 is also used by Default_Qualified_Both_Sides_Confirmed on stage Default_Jointly_Qualified; give each active criterion of a stage its own order',
    ]);
  });

  it('accepts an inactive criterion order twice', () => {
    const changed = copy();
    const criterion = changed.criteria.find(
      (c) => c.developerName === 'Default_Qualified_Both_Sides_Confirmed',
    )!;
    criterion.order = 1;
    criterion.active = false;
    expect(loadStageModels(changed, schema).size).toBe(2);
  });

  it.each([
    ['a space', ' '],
    ['zero-width space', '\u200B'],
    ['byte order mark and space', '\uFEFF '],
    ['soft hyphen', '\u00AD'],
  ])('names an evidence label of %s', (_name, blank) => {
    const broken = copy();
    broken.criteria.find(
      (c) => c.developerName === 'Default_Qualified_Content_Complete',
    )!.evidenceLabel = blank;
    expect(problemsOf(broken)).toEqual([
      'Default_Qualified_Content_Complete: Evidence_Label__c is empty; name the evidence the rule looks at, such as "Customer-owned close plan step"',
    ]);
  });

  it('names a rule text of a zero-width space', () => {
    const broken = copy();
    broken.criteria.find(
      (c) => c.developerName === 'Default_Qualified_Content_Complete',
    )!.ruleText = '\u200B';
    expect(problemsOf(broken)).toEqual([
      'Default_Qualified_Content_Complete: Rule_Text__c is empty; state the rule in words',
    ]);
  });

  it('names the won stages found', () => {
    const broken = copy();
    broken.stages.find((s) => s.developerName === 'Default_Closed_Lost')!.won =
      true;
    expect(problemsOf(broken)).toEqual([
      'Default: the model needs exactly one won stage (Is_Won__c set), found 2: Default_Closed_Attributed, Default_Closed_Lost',
      'Default: the model needs exactly one closed, not won stage (the lost stage), found none',
    ]);
  });

  it('names the lost stages found', () => {
    const broken = copy();
    const stage = broken.stages.find(
      (s) => s.developerName === 'Default_Closed_Attributed',
    )!;
    stage.won = false;
    // A closed stage has Closing criteria, so the load finds no other problem.
    expect(problemsOf(broken)).toEqual([
      'Default: the model needs exactly one won stage (Is_Won__c set), found none',
      'Default: the model needs exactly one closed, not won stage (the lost stage), found 2: Default_Closed_Attributed, Default_Closed_Lost',
    ]);
  });

  it('skips an inactive criterion with a bad formula', () => {
    const changed = copy();
    const criterion = changed.criteria.find(
      (c) => c.developerName === 'Default_Qualified_Content_Complete',
    )!;
    criterion.formula = 'AND(IsWon,';
    criterion.active = false;
    expect(loadStageModels(changed, schema).size).toBe(2);
    expect(inactiveCriterionProblems(changed, schema)).toEqual([
      expect.objectContaining({
        record: 'Default_Qualified_Content_Complete',
        line: 1,
        message: expect.stringMatching(
          /^Formula__c line 1, column \d+: .* \(the criterion is inactive, so the middleware skips it, but once Is_Active__c is set the models do not load\)$/,
        ),
      }),
    ]);
    expect(inactiveCriterionProblems(source, schema)).toEqual([]);
  });

  it('names a probability outside 0 to 100', () => {
    const broken = copy();
    broken.stages[0]!.probability = 140;
    expect(problemsOf(broken).join('\n')).toContain(
      'between 0 and 100, not 140',
    );
  });
});

describe('middleware start with a broken model', () => {
  /**
   * Starts the built middleware on a copy of force-app with one change to the
   * record file `record` and returns the failed start's exit code and stderr.
   */
  async function startWithChangedRecord(
    record: string,
    pattern: string,
    replacement: string,
  ): Promise<{ code: number; stderr: string; file: string }> {
    const dir = mkdtempSync(path.join(tmpdir(), 'cosell-badmodel-'));
    try {
      const packageDir = copyPackageWithChange(
        path.join(dir, 'force-app'),
        `customMetadata/${record}`,
        pattern,
        replacement,
      );
      const result = await failedStart({
        ...process.env,
        PORT: '0',
        COSELL_DB_PATH: path.join(dir, 'store.db'),
        COSELL_API_TOKEN: 'x'.repeat(40),
        COSELL_PACKAGE_DIR: packageDir,
      });
      return {
        ...result,
        file: path.join(packageDir, 'main/default/customMetadata', record),
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('exits 2 and names the record', async () => {
    const result = await startWithChangedRecord(
      'Exit_Criterion.Default_Validating_Customer_Confirmed.md-meta.xml',
      'Customer_Evaluation_Confirmed_At__c',
      'Customer_Evaluation_Confirmd_At__c',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Default_Validating_Customer_Confirmed');
    expect(result.stderr).toContain('Customer_Evaluation_Confirmd_At__c');
  });

  it('exits 2 and names a model value its field cannot hold', async () => {
    const result = await startWithChangedRecord(
      'Cosell_Model.Default.md-meta.xml',
      '<value xsi:type="xsd:double">72</value>',
      '<value xsi:type="xsd:double">1e12</value>',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${result.file}: Request_Expiry_Hours__c = "1e12": has 13 digits before the decimal point; this field allows 6 (the field is Number(6, 0))`,
    );
  });

  it('exits 2 and names a raw NUL in a label', async () => {
    const result = await startWithChangedRecord(
      'Cosell_Stage.Default_Validating.md-meta.xml',
      '<label>Validating',
      '<label>Valid\u0000ating',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${result.file}: line 3, column 17 contains U+0000, a control character, which XML does not allow`,
    );
  });

  it('exits 2 and names a duplicate stage label', async () => {
    const result = await startWithChangedRecord(
      'Cosell_Stage.Default_Validating.md-meta.xml',
      '<label>Validating with Customer</label>',
      '<label>Jointly Qualified</label>',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'Default_Validating (' +
        result.file +
        '): the label "Jointly Qualified" is also the label of Default_Jointly_Qualified in model Default',
    );
  });

  it('exits 2 and names a duplicate criterion order', async () => {
    const result = await startWithChangedRecord(
      'Exit_Criterion.Default_Qualified_Both_Sides_Confirmed.md-meta.xml',
      '<value xsi:type="xsd:double">2</value>',
      '<value xsi:type="xsd:double">1</value>',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'Exit_Criterion.Default_Qualified_Content_Complete.md-meta.xml): Order__c 1 is also used by Default_Qualified_Both_Sides_Confirmed on stage Default_Jointly_Qualified',
    );
  });

  it('exits 2 and names a bidi override in a rule', async () => {
    const result = await startWithChangedRecord(
      'Exit_Criterion.Default_Qualified_Both_Sides_Confirmed.md-meta.xml',
      '<value xsi:type="xsd:string">A vendor user',
      '<value xsi:type="xsd:string">\u202EA vendor user',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${result.file}: Rule_Text__c "\u202EA vendor user`,
    );
    expect(result.stderr).toContain(
      'contains the bidirectional control character U+202E',
    );
  });

  it('exits 2 and names a bad variable', async () => {
    const run = promisify(execFile);
    const result = await run(
      process.execPath,
      ['dist/middleware/src/server.js'],
      {
        env: {
          ...process.env,
          PORT: 'eighty',
          COSELL_TIME_ZONE: 'Mars/Olympus',
        },
      },
    ).catch((error: { code: number; stderr: string }) => error);
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toContain('PORT="eighty"');
    expect(result.stderr).toContain('COSELL_TIME_ZONE="Mars/Olympus"');
  });
});
