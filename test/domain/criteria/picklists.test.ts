import { describe, expect, it } from '@jest/globals';
import { CriteriaError } from '../../../middleware/src/domain/criteria/index.js';
import { compile, deal, valueOf } from './org-schema-fixture.js';

function compileError(formula: string): CriteriaError {
  try {
    compile(formula);
  } catch (error) {
    if (error instanceof CriteriaError) return error;
    throw error;
  }
  throw new Error(`${formula} compiled, but it should not`);
}

describe('ISPICKVAL', () => {
  const lostOnPrice = deal({ Closed_Lost_Reason__c: 'Price' });

  it.each([
    ['ISPICKVAL(Closed_Lost_Reason__c, "Price")', lostOnPrice, true],
    ['ISPICKVAL(Closed_Lost_Reason__c, "Timing")', lostOnPrice, false],
    ['ISPICKVAL(Closed_Lost_Reason__c, "price")', lostOnPrice, false],
    ['ISPICKVAL(Closed_Lost_Reason__c, "")', lostOnPrice, false],
    ['ISPICKVAL(Closed_Lost_Reason__c, "")', deal({}), true],
    [
      'ISPICKVAL(Closed_Lost_Reason__c, "")',
      deal({ Closed_Lost_Reason__c: '' }),
      true,
    ],
    ['ISPICKVAL(Closed_Lost_Reason__c, "Price")', deal({}), false],
    ['ispickval(closed_lost_reason__c, "Price")', lostOnPrice, true],
  ])('%s on %j is %s', (formula, record, expected) => {
    expect(valueOf(formula, record)).toBe(expected);
  });

  it('accepts a value outside an unrestricted picklist', () => {
    expect(valueOf('ISPICKVAL(StageName, "Negotiation/Review")')).toBe(false);
  });

  it('rejects a value outside a restricted picklist', () => {
    const error = compileError('ISPICKVAL(Cosell_Stage__c, "Negotiation")');
    expect(error.line).toBe(1);
    expect(error.column).toBe(28);
    expect(error.message).toContain(
      '"Negotiation" is not a value of the restricted picklist Opportunity.Cosell_Stage__c',
    );
    expect(error.expected).toContain('"Negotiating"');
  });

  it('rejects a field that is not a picklist', () => {
    const error = compileError('ISPICKVAL(NextStep, "Call")');
    expect(error.column).toBe(11);
    expect(error.message).toContain(
      'argument 1 of ISPICKVAL must be a picklist field but is text; compare text with "="',
    );
  });

  it('rejects a value that is not a literal', () => {
    const error = compileError('ISPICKVAL(StageName, NextStep)');
    expect(error.column).toBe(22);
    expect(error.expected).toBe('text in quotes');
  });
});

describe('TEXT of a picklist', () => {
  it.each([
    [
      'TEXT(Closed_Lost_Reason__c) = "Price"',
      deal({ Closed_Lost_Reason__c: 'Price' }),
      true,
    ],
    [
      'NOT(ISBLANK(TEXT(Closed_Lost_Reason__c)))',
      deal({ Closed_Lost_Reason__c: 'Price' }),
      true,
    ],
    ['NOT(ISBLANK(TEXT(Closed_Lost_Reason__c)))', deal({}), false],
    ['TEXT(Closed_Lost_Reason__c) = ""', deal({}), true],
    [
      'CONTAINS(TEXT(StageName), "Closed")',
      deal({ StageName: 'Closed Won' }),
      true,
    ],
    [
      'TEXT(StageName) & "!" = "Prospecting!"',
      deal({ StageName: 'Prospecting' }),
      true,
    ],
  ])('%s on %j is %s', (formula, record, expected) => {
    expect(valueOf(formula, record)).toBe(expected);
  });
});

describe('picklist misuse', () => {
  it.each([
    ['Closed_Lost_Reason__c = "Price"', 1, '"="'],
    ['"Price" = Closed_Lost_Reason__c', 11, '"="'],
    ['Closed_Lost_Reason__c <> "Price"', 1, '"<>"'],
    ['ISBLANK(Closed_Lost_Reason__c)', 9, 'ISBLANK'],
    ['Closed_Lost_Reason__c & "x" = "Pricex"', 1, 'an operand of "&"'],
    ['IF(TRUE, Closed_Lost_Reason__c, "x") = "x"', 10, 'the values of IF'],
    ['LEN(Closed_Lost_Reason__c) > 0', 5, 'argument 1 of LEN'],
    ['BLANKVALUE(StageName, "x") = "x"', 12, 'the values of BLANKVALUE'],
  ])('%s is an error at column %i', (formula, column, use) => {
    const error = compileError(formula);
    expect(error.line).toBe(1);
    expect(error.column).toBe(column);
    expect(error.message).toContain(`is a picklist, which ${use} cannot take`);
    expect(error.message).toContain('ISPICKVAL(');
    expect(error.found).toBe('a picklist');
  });
});
