import { describe, expect, it } from '@jest/globals';
import {
  CriteriaError,
  RecordValueError,
} from '../../../middleware/src/domain/criteria/index.js';
import { compile, deal, env, run, valueOf } from './org-schema-fixture.js';

const partnerUser = { AccountId: '001000000000001AAA' };
const vendorUser = { AccountId: null };

const approvals = (...rows: Array<Record<string, unknown>>) =>
  deal({ Deal_Approvals__r: rows as never });

describe('COUNT', () => {
  const steps = deal({
    Close_Plan_Steps__r: [
      { Owner_Side__c: 'Customer', Due_Date__c: '2024-03-01' },
      { Owner_Side__c: 'Vendor', Due_Date__c: '2024-04-01' },
      { Owner_Side__c: 'Customer', Due_Date__c: null },
    ],
  });

  it.each([
    ['COUNT(Close_Plan_Steps__r) = 3', steps, true],
    [
      'COUNT(Close_Plan_Steps__r, ISPICKVAL(Owner_Side__c, "Customer")) = 2',
      steps,
      true,
    ],
    [
      'COUNT(Close_Plan_Steps__r, ISPICKVAL(Owner_Side__c, "Partner")) = 0',
      steps,
      true,
    ],
    ['COUNT(Close_Plan_Steps__r, Due_Date__c < TODAY()) = 1', steps, true],
    ['COUNT(Close_Plan_Steps__r, Due_Date__c >= TODAY()) = 1', steps, true],
    ['COUNT(Close_Plan_Steps__r) = 0', deal(), true],
    [
      'COUNT(Close_Plan_Steps__r, ISPICKVAL(Owner_Side__c, "Customer")) >= 1',
      deal(),
      false,
    ],
    [
      'COUNT(Close_Plan_Steps__r) = 0',
      deal({ Close_Plan_Steps__r: null }),
      true,
    ],
  ])('%s is %s', (formula, record, expected) => {
    expect(valueOf(formula, record)).toBe(expected);
  });

  it('does not count a record whose condition is blank', () => {
    const formula =
      'COUNT(Close_Plan_Steps__r, IF(ISBLANK(Due_Date__c), NULL, TRUE)) = 2';
    expect(valueOf(formula, steps)).toBe(true);
  });
});

describe('SUM', () => {
  const partners = (...splits: Array<number | null>) =>
    deal({
      Deal_Partners__r: splits.map((split, index) => ({
        Role__c: index === 0 ? 'Sourcing' : 'Influencing',
        Split_Percent__c: split,
      })),
    });

  it.each([
    [
      'SUM(Deal_Partners__r, Split_Percent__c) = 100',
      partners(33.33, 33.33, 33.34),
      true,
    ],
    [
      'SUM(Deal_Partners__r, Split_Percent__c) = 100',
      partners(0.1, 0.2, 99.7),
      true,
    ],
    [
      'SUM(Deal_Partners__r, Split_Percent__c) = 100',
      partners(50, null, 50),
      true,
    ],
    ['SUM(Deal_Partners__r, Split_Percent__c) = 100', partners(60, 30), false],
    ['SUM(Deal_Partners__r, Split_Percent__c) = 0', deal(), true],
    ['SUM(Deal_Partners__r, Split_Percent__c) = 0', partners(null, null), true],
    [
      'SUM(Deal_Partners__r, Split_Percent__c, ISPICKVAL(Role__c, "Influencing")) = 66.67',
      partners(33.33, 33.33, 33.34),
      true,
    ],
    [
      'SUM(Deal_Partners__r, Split_Percent__c * 2) = 200',
      partners(33.33, 33.33, 33.34),
      true,
    ],
    [
      'SUM(Deal_Partners__r, 1) = COUNT(Deal_Partners__r)',
      partners(1, 2, 3),
      true,
    ],
  ])('%s is %s', (formula, record, expected) => {
    expect(valueOf(formula, record)).toBe(expected);
  });

  it('reports the total, the records and the matches', () => {
    const result = run(
      'SUM(Deal_Partners__r, Split_Percent__c, ISPICKVAL(Role__c, "Influencing")) = 66.67',
      partners(33.33, 33.33, 33.34),
    );
    expect(result.reads).toEqual([
      {
        path: 'SUM(Deal_Partners__r, Split_Percent__c, ISPICKVAL(Role__c, "Influencing"))',
        value: 66.67,
        relationship: 'Deal_Partners__r',
        recordCount: 3,
        matchedCount: 2,
      },
    ]);
  });
});

describe('ALL and ANY', () => {
  const crossSide =
    'ALL(Deal_Approvals__r, AND(NOT(ISBLANK(Owner__c)), NOT(ISBLANK(Handoff_Counterpart__c)), ' +
    'ISBLANK(Owner__r.AccountId) <> ISBLANK(Handoff_Counterpart__r.AccountId)))';
  const handedAcross = {
    Owner__c: '005000000000001AAA',
    Owner__r: vendorUser,
    Handoff_Counterpart__c: '005000000000002AAA',
    Handoff_Counterpart__r: partnerUser,
  };
  const sameSide = { ...handedAcross, Handoff_Counterpart__r: vendorUser };
  const noCounterpart = {
    ...handedAcross,
    Handoff_Counterpart__c: null,
    Handoff_Counterpart__r: null,
  };

  it.each([
    ['no approvals', approvals(), true],
    ['one handed across', approvals(handedAcross), true],
    ['one on the same side', approvals(handedAcross, sameSide), false],
    ['one without a counterpart', approvals(noCounterpart), false],
    [
      'a null owner lookup',
      approvals({ ...handedAcross, Owner__r: null }),
      true,
    ],
    [
      'both lookups null',
      approvals({
        ...handedAcross,
        Owner__r: null,
        Handoff_Counterpart__r: null,
      }),
      false,
    ],
  ])('ALL with %s', (_name, record, expected) => {
    expect(valueOf(crossSide, record)).toBe(expected);
  });

  it.each([
    ['ANY(Deal_Approvals__r, ISBLANK(Owner__c))', approvals(), false],
    [
      'ANY(Deal_Approvals__r, ISBLANK(Owner__c))',
      approvals(handedAcross),
      false,
    ],
    [
      'ANY(Deal_Approvals__r, ISBLANK(Owner__c))',
      approvals(handedAcross, { Owner__c: null }),
      true,
    ],
    [
      'ANY(Deal_Approvals__r, IF(TRUE, NULL, TRUE))',
      approvals(handedAcross),
      false,
    ],
    [
      'ALL(Deal_Approvals__r, IF(TRUE, NULL, TRUE))',
      approvals(handedAcross),
      false,
    ],
    ['ALL(Deal_Approvals__r, IF(TRUE, NULL, TRUE))', approvals(), true],
    [
      'ANY(Deal_Approvals__r, Owner__r.AccountId = "001000000000001AAA")',
      approvals({ Owner__r: partnerUser }),
      true,
    ],
  ])('%s is %s', (formula, record, expected) => {
    expect(valueOf(formula, record)).toBe(expected);
  });

  it('reports one read with the counts, not one per child field', () => {
    const result = run(crossSide, approvals(handedAcross, sameSide));
    expect(result.reads).toEqual([
      {
        path: crossSide,
        value: false,
        relationship: 'Deal_Approvals__r',
        recordCount: 2,
        matchedCount: 1,
      },
    ]);
  });

  it('reports each aggregate by its text, the same text once', () => {
    const result = run(
      'AND(COUNT(Deal_Approvals__r) >= 1, ANY(Deal_Approvals__r,\n  ISBLANK(Owner__c)), COUNT( Deal_Approvals__r ) < 9, count(Deal_Approvals__r) < 9, COUNT(Deal_Approvals__r) < 5)',
      approvals(handedAcross, { Owner__c: null }),
    );
    expect(result.reads).toEqual([
      expect.objectContaining({ path: 'COUNT(Deal_Approvals__r)', value: 2 }),
      expect.objectContaining({
        path: 'ANY(Deal_Approvals__r, ISBLANK(Owner__c))',
        value: true,
        matchedCount: 1,
      }),
    ]);
  });

  it('reports a respaced aggregate once', () => {
    const result = run(
      'AND(ANY(Deal_Approvals__r, ISBLANK(Owner__c)), ANY( Deal_Approvals__r,ISBLANK( owner__c ) ), any(Deal_Approvals__r, /* no owner */ isblank(Owner__c)))',
      approvals(handedAcross, { Owner__c: null }),
    );
    expect(result.reads).toHaveLength(1);
    expect(result.reads[0]).toEqual(
      expect.objectContaining({
        path: 'ANY(Deal_Approvals__r, ISBLANK(Owner__c))',
        value: true,
      }),
    );
  });

  it('keeps aggregates with different text apart', () => {
    const result = run(
      'OR(COUNT(Deal_Approvals__r, Owner__c = "a  b") > 0, COUNT(Deal_Approvals__r, Owner__c = "A  B") > 0, COUNT(Deal_Approvals__r, Owner__c = "a b") > 0)',
      approvals({ Owner__c: 'a b' }),
    );
    expect(result.reads.map((read) => read.value)).toEqual([0, 0, 1]);
  });

  it('lists the child fields to query', () => {
    expect(compile(crossSide).childFieldPaths).toEqual({
      Deal_Approvals__r: [
        'Owner__c',
        'Handoff_Counterpart__c',
        'Owner__r.AccountId',
        'Handoff_Counterpart__r.AccountId',
      ],
    });
    expect(compile(crossSide).fieldPaths).toEqual([]);
  });
});

describe('aggregate records', () => {
  it('lists a relationship read without a condition', () => {
    const compiled = compile('COUNT(deal_approvals__r) >= 1');
    expect(compiled.childFieldPaths).toEqual({ Deal_Approvals__r: [] });
  });

  it('rejects a record without the relationship', () => {
    const compiled = compile(
      'ALL(Deal_Approvals__r, ISBLANK(Owner__c))',
      'Approvals',
    );
    const record = { Id: '006000000000001AAA' };
    expect(() => compiled.evaluate(record, env)).toThrow(RecordValueError);
    expect(() => compiled.evaluate(record, env)).toThrow(
      'Criterion Approvals: Deal_Approvals__r holds nothing (the record lacks it), which is not a list of child records',
    );
  });

  it('rejects a child record of the wrong shape', () => {
    const compiled = compile(
      'COUNT(Deal_Approvals__r, ISBLANK(Owner__r.AccountId)) = 0',
    );
    const record = approvals({ Owner__r: 'not a record' });
    expect(() => compiled.evaluate(record, env)).toThrow(
      'Owner__r holds "not a record", which is not a related record',
    );
  });

  it('reads the parent through the child lookup', () => {
    const formula =
      'ANY(Deal_Partners__r, Opportunity__r.Name = "Acme renewal")';
    const record = deal({
      Deal_Partners__r: [{ Opportunity__r: { Name: 'Acme renewal' } }],
    });
    expect(valueOf(formula, record)).toBe(true);
    expect(compile(formula).childFieldPaths).toEqual({
      Deal_Partners__r: ['Opportunity__r.Name'],
    });
  });
});

describe('aggregate errors', () => {
  it.each([
    [
      'COUNT(Deal_Approvals__r, ANY(Deal_Partners__r, TRUE)) > 0',
      26,
      'ANY is inside COUNT over Deal_Approvals__r; aggregates cannot be nested',
    ],
    [
      'COUNT(Owner) > 0',
      7,
      'COUNT needs a child relationship of Opportunity, and Owner is not one',
    ],
    [
      'COUNT(Deal_Aprovals__r) > 0',
      7,
      'Deal_Aprovals__r is not one; did you mean Deal_Approvals__r?',
    ],
    [
      'COUNT(Deal_Approvals__r.Owner__c) > 0',
      7,
      'argument 1 of COUNT must name a child relationship of Opportunity',
    ],
    [
      'COUNT("Deal_Approvals__r") > 0',
      7,
      'argument 1 of COUNT must name a child relationship',
    ],
    [
      'COUNT(Stage_Requests__r) > 0',
      7,
      'Stage_Requests__r holds Stage_Request__c records, which is not an object in the org schema',
    ],
    [
      'COUNT(Deal_Approvals__r, Owner__c) > 0',
      26,
      'argument 2 of COUNT must be a boolean but is text',
    ],
    ['SUM(Deal_Partners__r, Role__c) > 0', 23, 'Role__c is a picklist'],
    [
      'SUM(Deal_Partners__r, Partner_Account__c) > 0',
      23,
      'argument 2 of SUM must be a number but is text',
    ],
    [
      'ALL(Deal_Partners__r)',
      1,
      'ALL takes 2 arguments but was given 1; write ALL(child relationship, condition)',
    ],
    [
      'ANY(Deal_Partners__r, TRUE, TRUE)',
      1,
      'ANY takes 2 arguments but was given 3',
    ],
    [
      'SUM(Deal_Partners__r) = 1',
      1,
      'SUM takes 2 to 3 arguments but was given 1',
    ],
    [
      'COUNT(Deal_Partners__r, Amount > 1) > 0',
      25,
      'unknown field Amount on Deal_Partner__c',
    ],
    ['COUNT(Deal_Partners__r)', 1, 'the formula returns a number'],
  ])('%s fails at column %i', (formula, column, message) => {
    let caught: unknown;
    try {
      compile(formula);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CriteriaError);
    const error = caught as CriteriaError;
    expect(error.line).toBe(1);
    expect(error.column).toBe(column);
    expect(error.message).toContain(message);
  });
});
