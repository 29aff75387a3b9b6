import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  checkFormula,
  compileFormulaWith,
  type EvaluatorBackEnd,
} from '../../../middleware/src/domain/criteria/compile-formula.js';
import { generateEvaluatorSource } from '../../../middleware/src/domain/criteria/generate-evaluator.js';
import type { CompiledFormula } from '../../../middleware/src/domain/criteria/index.js';
import type { RecordData } from '../../../middleware/src/domain/records.js';
import { DEFAULT_FORMULAS } from './default-formulas.js';
import { env, schema } from './org-schema-fixture.js';
import { boolExpr, dealRecord, formulaText } from './reference-model.js';

/**
 * Compares the generated-source back end with the closure back end, which it
 * replaced as the default and which remains the fallback. Both must return the
 * same value and the same reads, in the same order and with the same keys, or
 * raise the same error.
 */

function compileWith(
  formula: string,
  backEnd: EvaluatorBackEnd,
): CompiledFormula {
  return compileFormulaWith(
    formula,
    { rootObject: 'Opportunity', schema, criterionName: 'Back_End_Test' },
    backEnd,
  );
}

/** Returns the JSON of an evaluation's result, or the name and message of its error. */
function outcome(compiled: CompiledFormula, record: RecordData): string {
  try {
    return JSON.stringify(compiled.evaluate(record, env));
  } catch (error) {
    return error instanceof Error
      ? `${error.name}: ${error.message}`
      : `non-error ${String(error)}`;
  }
}

/** Checks that both back ends agree on every record, on one fresh pair each. */
function expectSameOutcomes(formula: string, records: RecordData[]): void {
  const generated = compileWith(formula, 'generated');
  const closures = compileWith(formula, 'closures');
  for (const record of records) {
    expect(outcome(generated, record)).toBe(outcome(closures, record));
  }
}

const userId = fc.constantFrom(
  null,
  '',
  '005000000000001AAA',
  '005000000000002AAA',
);
const user = fc.option(
  fc.record({
    AccountId: fc.constantFrom(null, '', '001000000000001AAA'),
  }),
  { nil: null },
);
const filledText = fc.constantFrom(null, '', ' ', 'Renewal in June');
const children = <T>(child: fc.Arbitrary<T>) =>
  fc.option(fc.array(child, { maxLength: 4 }), { nil: null });

/** Deals in the shape the default criteria read, blanks and null lists included. */
const defaultModelDeal: fc.Arbitrary<RecordData> = fc.record({
  IsWon: fc.constantFrom(null, true, false),
  Vendor_Owner__c: userId,
  Partner_Owner__c: userId,
  Customer_Evaluation_Confirmed_At__c: fc.constantFrom(
    null,
    '',
    '2024-03-01T16:00:00.000+0000',
    '2024-03-01',
  ),
  Closed_Lost_Reason__c: fc.constantFrom(null, '', 'Price', 'Timing'),
  Deal_Registrations__r: children(
    fc.record({
      Status__c: fc.constantFrom(null, 'Submitted', 'Approved', 'Converted'),
      Conflict_Status__c: fc.constantFrom(null, 'Clear', 'Conflict'),
    }),
  ),
  Joint_Qualifications__r: children(
    fc.record({
      Need__c: filledText,
      Budget__c: filledText,
      Reason_To_Act__c: filledText,
      Joint_Value__c: filledText,
      Vendor_Confirmed_By__c: userId,
      Partner_Confirmed_By__c: userId,
    }),
  ),
  Close_Plan_Steps__r: children(
    fc.record({
      Owner_Side__c: fc.constantFrom(null, 'Customer', 'Vendor', 'Partner'),
    }),
  ),
  Deal_Approvals__r: children(
    fc.record({
      Owner__c: userId,
      Owner__r: user,
      Handoff_Counterpart__c: userId,
      Handoff_Counterpart__r: user,
    }),
  ),
  Deal_Partners__r: children(
    fc.record({
      Role__c: fc.constantFrom(null, 'Sourcing', 'Influencing'),
      Split_Percent__c: fc.constantFrom(null, 100, 50, 33.33, 33.34, 0.1, 0.2),
    }),
  ),
}) as fc.Arbitrary<RecordData>;

/** Formulas that use every operator and function, some reading a path twice. */
const CONSTRUCTS = [
  'Amount + Probability * 2 - TotalOpportunityQuantity / 3 > 10',
  'Amount ^ 2 >= 100',
  '-Amount < +Probability',
  '(Amount / 3) * 3 = Amount',
  'Amount > 0.12345678901234567890123',
  'Amount * 1.0000000000000001 > Amount',
  'CloseDate + 30 > TODAY()',
  '1 + CloseDate <= TODAY()',
  'CloseDate - 1.5 < DATEVALUE(CreatedDate)',
  'TODAY() - CloseDate >= 7',
  'CreatedDate + 0.5 < NOW()',
  '0.25 + CreatedDate >= NOW()',
  'CreatedDate - 1 <> CreatedDate',
  'NOW() - CreatedDate > 1.25',
  'TEXT(Amount) = "100"',
  'TEXT(CloseDate) & " " & TEXT(CreatedDate) <> ""',
  'TEXT(NULL) = ""',
  'LEN(NextStep & Description) > 2',
  'CONTAINS(Description, NextStep)',
  'VALUE(NextStep) > 1',
  'DATEVALUE(NextStep) = CloseDate',
  'DATEVALUE(CloseDate) = CloseDate',
  'INCLUDES(Regions__c, "EMEA")',
  'ISBLANK(Regions__c)',
  'ISPICKVAL(StageName, "")',
  'ISPICKVAL(StageName, "Closed Won")',
  'TEXT(StageName) + "x" = "Closed Wonx"',
  'BLANKVALUE(Amount, 0) + LEN(BLANKVALUE(NextStep, "none")) > 4',
  'IF(IsWon, Amount, Probability) > 50',
  'IF(Amount > 0, NULL, TRUE)',
  'NOT(IsWon) && !IsClosed || IsWon = IsClosed',
  'IsWon <> NULL',
  'Owner.Account.Name = "Acme" || ISBLANK(Owner.Account.Name)',
  'OR(Amount > 1, Amount < 0, ISBLANK(Amount), Amount = 0.5)',
  'AND(IsWon)',
  'OR(IsWon, Amount = NULL, CloseDate = NULL)',
  'SUM(Deal_Partners__r, Split_Percent__c * 2, ISPICKVAL(Role__c, "Sourcing")) > COUNT(Deal_Partners__r)',
  'ANY(Deal_Partners__r, Split_Percent__c > 50) <> ALL(Deal_Partners__r, ISBLANK(Split_Percent__c))',
  'COUNT(Deal_Partners__r) = COUNT(Deal_Partners__r)',
  'COUNT(Deal_Approvals__r, Owner__r.Account.Name = "Acme") > 0',
];

const amount = fc.constantFrom(null, '', 0, 100, 33.33, -2.5, 1e-7, '12.5');
const ownerRecord = fc.constantFrom(
  null,
  { Account: null },
  { Account: { Name: 'Acme' } },
  { Account: { Name: null } },
);

/** Opportunities for CONSTRUCTS, blanks and numbers given as text included. */
const opportunity: fc.Arbitrary<RecordData> = fc.record({
  Amount: amount,
  Probability: amount,
  TotalOpportunityQuantity: amount,
  IsWon: fc.constantFrom(null, true, false, 1, 0),
  IsClosed: fc.constantFrom(null, true, false),
  CloseDate: fc.constantFrom(null, '', '2024-03-08', '2024-03-10'),
  CreatedDate: fc.constantFrom(
    null,
    '2024-03-01T10:00:00.000+0000',
    '2024-03-10',
  ),
  NextStep: fc.constantFrom(null, '', ' 7 ', 'abc', '2024-03-08', '😀a'),
  Description: fc.constantFrom(null, '', 'abc', 'x 7 y'),
  StageName: fc.constantFrom(null, '', 'Closed Won', 'Prospecting'),
  Regions__c: fc.constantFrom(null, '', 'EMEA', 'APAC;EMEA', 'APAC'),
  Owner: ownerRecord,
  Deal_Partners__r: fc.array(
    fc.record({
      Role__c: fc.constantFrom(null, 'Sourcing', 'Influencing'),
      Split_Percent__c: fc.constantFrom(null, 0, 50, 60.5, 33.33),
    }),
    { maxLength: 3 },
  ),
  Deal_Approvals__r: fc.array(fc.record({ Owner__r: ownerRecord }), {
    maxLength: 2,
  }),
}) as fc.Arbitrary<RecordData>;

describe('generated and closure back ends', () => {
  it.each(Object.entries(DEFAULT_FORMULAS))(
    'agree on default criterion %s',
    (_name, formula) => {
      fc.assert(
        fc.property(
          fc.array(defaultModelDeal, { minLength: 1, maxLength: 20 }),
          (deals) => expectSameOutcomes(formula, deals),
        ),
        { numRuns: 150 },
      );
    },
  );

  it.each(CONSTRUCTS)('agree on %s', (formula) => {
    fc.assert(
      fc.property(
        fc.array(opportunity, { minLength: 1, maxLength: 10 }),
        (records) => expectSameOutcomes(formula, records),
      ),
      { numRuns: 60 },
    );
  });

  it('agree on random formulas', () => {
    fc.assert(
      fc.property(
        boolExpr,
        fc.array(dealRecord, { minLength: 1, maxLength: 4 }),
        (tree, records) => expectSameOutcomes(formulaText(tree), records),
      ),
      { numRuns: 400 },
    );
  });

  // Formula__c holds up to 10,000 characters, enough for about 2,500 terms.
  it.each(['OR', 'AND'])('agree on %s of 2,500 terms', (name) => {
    const terms = Array.from({ length: 2500 }, (_, i) => `Amount = ${i}`);
    const formula = `${name}(${terms.join(',')})`;
    const records = [{ Amount: 0 }, { Amount: 2499 }, { Amount: -1 }, {}];
    expectSameOutcomes(formula, records);
    // The source itself must build, so the closures are not what ran.
    const { root, state } = checkFormula(formula, {
      rootObject: 'Opportunity',
      schema,
      criterionName: 'Wide_Test',
    });
    const { body } = generateEvaluatorSource(root, state);
    expect(() => new Function('constants', body)).not.toThrow();
    const generated = compileWith(formula, 'generated');
    expect(generated.evaluate({ Amount: 2499 }, env).value).toBe(name === 'OR');
  });

  it.each([
    ['Amount > 1', { Amount: 'many' }],
    ['IsWon', { IsWon: 'yes' }],
    ['CloseDate > TODAY()', { CloseDate: '2024-02-30' }],
    ['CreatedDate < NOW()', { CreatedDate: 'yesterday' }],
    ['NextStep = "a"', { NextStep: { text: 'a' } }],
    ['Owner.Account.Name = "Acme"', { Owner: 'Jane' }],
    ['Owner.Account.Name = "Acme"', { Owner: { Account: [] } }],
    ['COUNT(Deal_Partners__r) > 0', { Deal_Partners__r: 'none' }],
    ['COUNT(Deal_Partners__r) > 0', {}],
    [
      'SUM(Deal_Partners__r, Split_Percent__c) > 0',
      { Deal_Partners__r: [{ Split_Percent__c: true }] },
    ],
  ])('raise the same error for %s on %j', (formula, record) => {
    const generated = compileWith(formula, 'generated');
    expect(outcome(generated, record)).toMatch(/^RecordValueError: /);
    expectSameOutcomes(formula, [record]);
  });
});
