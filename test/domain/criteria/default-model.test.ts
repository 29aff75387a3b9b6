import { describe, expect, it } from '@jest/globals';
import type { RecordData } from '../../../middleware/src/domain/records.js';
import { DEFAULT_FORMULAS } from './default-formulas.js';
import { compile, deal, env } from './org-schema-fixture.js';

const compiled = Object.entries(DEFAULT_FORMULAS).map(([name, formula]) => ({
  name,
  formula: compile(formula, name),
}));

function results(record: RecordData): Record<string, boolean | null> {
  return Object.fromEntries(
    compiled.map(({ name, formula }) => [
      name,
      formula.evaluate(record, env).value,
    ]),
  );
}

const vendorUser = '005000000000001AAA';
const partnerUser = '005000000000002AAA';
const partnerAccount = '001000000000001AAA';

/** A deal with the evidence every criterion requires. */
const evidenced = deal({
  Vendor_Owner__c: vendorUser,
  Partner_Owner__c: partnerUser,
  Customer_Evaluation_Confirmed_At__c: '2024-03-01T16:00:00.000+0000',
  IsWon: true,
  Closed_Lost_Reason__c: 'Price',
  Deal_Registrations__r: [
    { Status__c: 'Rejected', Conflict_Status__c: 'Conflict' },
    { Status__c: 'Converted', Conflict_Status__c: 'Clear' },
  ],
  Joint_Qualifications__r: [
    {
      Need__c: 'Replace the billing stack',
      Budget__c: '250k approved',
      Reason_To_Act__c: 'Renewal in June',
      Joint_Value__c: 'Partner runs the migration',
      Vendor_Confirmed_By__c: vendorUser,
      Partner_Confirmed_By__c: partnerUser,
    },
  ],
  Close_Plan_Steps__r: [
    { Owner_Side__c: 'Vendor' },
    { Owner_Side__c: 'Customer' },
  ],
  Deal_Approvals__r: [
    {
      Owner__c: vendorUser,
      Owner__r: { AccountId: null },
      Handoff_Counterpart__c: partnerUser,
      Handoff_Counterpart__r: { AccountId: partnerAccount },
      Opportunity__r: { Partner_Account__c: partnerAccount },
    },
  ],
  Deal_Partners__r: [
    { Role__c: 'Sourcing', Split_Percent__c: 33.33 },
    { Role__c: 'Influencing', Split_Percent__c: 33.33 },
    { Role__c: 'Influencing', Split_Percent__c: 33.34 },
  ],
});

describe('default model criteria', () => {
  it('are all met by a deal with the evidence', () => {
    expect(Object.values(results(evidenced))).toEqual(compiled.map(() => true));
  });

  it('are met or unmet as expected by a new deal', () => {
    expect(results(deal())).toEqual({
      Clear_Registration: false,
      Owners_Named: false,
      Content_Complete: false,
      Both_Sides_Confirmed: false,
      Customer_Confirmed: false,
      Customer_Step: false,
      Approval_Exists: false,
      Cross_Side_Handoff: true,
      Closed_Won: false,
      One_Sourcing_Partner: true,
      Splits_Total_100: false,
      Lost_Reason: false,
    });
  });

  it('notice two sourcing partners and splits off by a cent', () => {
    const record = {
      ...evidenced,
      Deal_Partners__r: [
        { Role__c: 'Sourcing', Split_Percent__c: 50 },
        { Role__c: 'Sourcing', Split_Percent__c: 49.99 },
      ],
    };
    const outcome = results(record);
    expect(outcome.One_Sourcing_Partner).toBe(false);
    expect(outcome.Splits_Total_100).toBe(false);
  });

  it('notice an approval handed to the same side', () => {
    const record = {
      ...evidenced,
      Deal_Approvals__r: [
        {
          Owner__c: vendorUser,
          Owner__r: { AccountId: null },
          Handoff_Counterpart__c: vendorUser,
          Handoff_Counterpart__r: { AccountId: null },
          Opportunity__r: { Partner_Account__c: partnerAccount },
        },
      ],
    };
    expect(results(record).Cross_Side_Handoff).toBe(false);
  });

  it('notice an approval handed to another partner', () => {
    const record = {
      ...evidenced,
      Deal_Approvals__r: [
        {
          Owner__c: vendorUser,
          Owner__r: { AccountId: null },
          Handoff_Counterpart__c: partnerUser,
          Handoff_Counterpart__r: { AccountId: '001000000000103AAA' },
          Opportunity__r: { Partner_Account__c: partnerAccount },
        },
      ],
    };
    expect(results(record).Cross_Side_Handoff).toBe(false);
  });

  it('notice content and confirmation split over two qualifications', () => {
    const [complete] = evidenced.Joint_Qualifications__r as RecordData[];
    const record = {
      ...evidenced,
      Joint_Qualifications__r: [
        {
          ...complete,
          Vendor_Confirmed_By__c: null,
          Partner_Confirmed_By__c: null,
        },
        {
          Vendor_Confirmed_By__c: vendorUser,
          Partner_Confirmed_By__c: partnerUser,
        },
      ],
    };
    const outcome = results(record);
    expect(outcome.Content_Complete).toBe(true);
    expect(outcome.Both_Sides_Confirmed).toBe(false);
  });

  it('read exactly the fields a store must query', () => {
    const rootPaths = new Set(
      compiled.flatMap(({ formula }) => formula.fieldPaths),
    );
    expect([...rootPaths].sort()).toEqual([
      'Closed_Lost_Reason__c',
      'Customer_Evaluation_Confirmed_At__c',
      'IsWon',
      'Partner_Owner__c',
      'Vendor_Owner__c',
    ]);
    const childPaths: Record<string, Set<string>> = {};
    for (const { formula } of compiled) {
      for (const [relationship, paths] of Object.entries(
        formula.childFieldPaths,
      )) {
        childPaths[relationship] ??= new Set();
        for (const path of paths) childPaths[relationship].add(path);
      }
    }
    expect(
      Object.fromEntries(
        Object.entries(childPaths).map(([relationship, paths]) => [
          relationship,
          [...paths].sort(),
        ]),
      ),
    ).toEqual({
      Deal_Registrations__r: ['Conflict_Status__c', 'Status__c'],
      Joint_Qualifications__r: [
        'Budget__c',
        'Need__c',
        'Partner_Confirmed_By__c',
        'Reason_To_Act__c',
        'Joint_Value__c',
        'Vendor_Confirmed_By__c',
      ].sort(),
      Close_Plan_Steps__r: ['Owner_Side__c'],
      Deal_Approvals__r: [
        'Handoff_Counterpart__c',
        'Handoff_Counterpart__r.AccountId',
        'Opportunity__r.Partner_Account__c',
        'Owner__c',
        'Owner__r.AccountId',
      ],
      Deal_Partners__r: ['Role__c', 'Split_Percent__c'],
    });
  });

  it('keep the evidence of a met criterion', () => {
    const splits = compiled.find(({ name }) => name === 'Splits_Total_100')!;
    expect(splits.formula.evaluate(evidenced, env).reads).toEqual([
      {
        path: 'SUM(Deal_Partners__r, Split_Percent__c)',
        value: 100,
        relationship: 'Deal_Partners__r',
        recordCount: 3,
        matchedCount: 3,
      },
    ]);
    const owners = compiled.find(({ name }) => name === 'Owners_Named')!;
    expect(owners.formula.evaluate(evidenced, env).reads).toEqual([
      { path: 'Vendor_Owner__c', value: vendorUser },
      { path: 'Partner_Owner__c', value: partnerUser },
    ]);
  });
});

describe('documented examples', () => {
  it.each([
    'CloseDate >= TODAY()',
    'Customer_Evaluation_Confirmed_At__c - Cosell_Stage_Entered_At__c <= 30',
    'ALL(Close_Plan_Steps__r, OR(Due_Date__c > TODAY(), NOT(ISPICKVAL(Owner_Side__c, ""))))',
    'IF(Amount >= 100000, ANY(Deal_Approvals__r, ISPICKVAL(Type__c, "Pricing")), TRUE)',
    'AND(COUNT(Deal_Approvals__r) >= 1, ALL(Deal_Approvals__r, NOT(ISBLANK(Owner__c))))',
    'OR(ISBLANK(Amount), Amount <> 0)',
    'ANY(Deal_Partners__r, Opportunity__r.Name = "Acme renewal")',
  ])('%s compiles', (formula) => {
    expect(compile(formula).source).toBe(formula);
  });

  it('confirms a customer evaluation within 30 days', () => {
    const formula = compile(
      'Customer_Evaluation_Confirmed_At__c - Cosell_Stage_Entered_At__c <= 30',
    );
    const record = deal({
      Cosell_Stage_Entered_At__c: '2024-02-01T09:00:00.000Z',
      Customer_Evaluation_Confirmed_At__c: '2024-03-02T09:00:00.000Z',
    });
    expect(formula.evaluate(record, env).value).toBe(true);
  });
});
