import { describe, expect, it } from '@jest/globals';
import { deal, run, valueOf } from './org-schema-fixture.js';

/** Amount, CloseDate, CreatedDate and NextStep are blank; IsWon is null. */
const blankDeal = deal({
  Amount: null,
  CloseDate: null,
  CreatedDate: null,
  NextStep: null,
  Description: '',
  IsWon: null,
  Owner: null,
});

describe('blank numbers', () => {
  it.each([
    ['ISBLANK(Amount)', true],
    ['ISBLANK(Amount + 1)', true],
    ['ISBLANK(1 - Amount)', true],
    ['ISBLANK(Amount * 0)', true],
    ['ISBLANK(Amount / 2)', true],
    ['ISBLANK(2 / Amount)', true],
    ['ISBLANK(Amount ^ 2)', true],
    ['ISBLANK(-Amount)', true],
    ['ISBLANK(+Amount)', true],
    ['Amount = 0', false],
    ['Amount <> 0', false],
    ['Amount < 1', false],
    ['Amount <= 1', false],
    ['Amount > 1', false],
    ['Amount >= 1', false],
    ['0 = Amount', false],
    ['Amount = Amount', false],
    ['NOT(Amount = 0)', true],
    ['BLANKVALUE(Amount, 0) = 0', true],
    ['IF(Amount > 0, 1, 2) = 2', true],
    ['ISBLANK(TEXT(Amount))', true],
  ])('%s is %s', (formula, expected) => {
    expect(valueOf(formula, blankDeal)).toBe(expected);
  });
});

describe('blank text', () => {
  it.each([
    ['ISBLANK(NextStep)', true],
    ['ISBLANK(Description)', true],
    ['NextStep = ""', true],
    ['Description = ""', true],
    ['NextStep = Description', true],
    ['NextStep <> "Call"', true],
    ['NextStep & "x" = "x"', true],
    ['LEN(NextStep) = 0', true],
    ['CONTAINS(NextStep, "a")', false],
    ['BLANKVALUE(Description, "none") = "none"', true],
    ['NextStep = NULL', true],
    ['ISBLANK(VALUE(NextStep))', true],
  ])('%s is %s', (formula, expected) => {
    expect(valueOf(formula, blankDeal)).toBe(expected);
  });

  it('treats a space as not blank', () => {
    expect(valueOf('ISBLANK(NextStep)', deal({ NextStep: ' ' }))).toBe(false);
  });
});

describe('blank booleans', () => {
  it.each([
    ['ISBLANK(IsWon)', false],
    ['IsWon = FALSE', true],
    ['NOT(IsWon)', true],
    ['IsWon', false],
  ])('%s is %s when the checkbox is null', (formula, expected) => {
    expect(valueOf(formula, blankDeal)).toBe(expected);
  });

  it.each([
    ['AND(IF(TRUE, NULL, TRUE), TRUE)', false],
    ['OR(IF(TRUE, NULL, TRUE), FALSE)', false],
    ['NOT(IF(TRUE, NULL, TRUE))', true],
    ['IF(TRUE, NULL, TRUE) && TRUE', false],
    ['IF(TRUE, NULL, TRUE) || FALSE', false],
    ['!IF(TRUE, NULL, TRUE)', true],
    ['IF(IF(TRUE, NULL, TRUE), FALSE, TRUE)', true],
    ['IF(TRUE, NULL, TRUE) = TRUE', false],
    ['IF(TRUE, NULL, TRUE) <> TRUE', false],
    ['ISBLANK(IF(TRUE, NULL, TRUE))', true],
  ])('%s is %s for a blank condition', (formula, expected) => {
    expect(valueOf(formula)).toBe(expected);
  });

  it('returns blank when the formula itself is blank', () => {
    const result = run('IF(ISBLANK(Amount), NULL, Amount > 0)', blankDeal);
    expect(result.value).toBeNull();
  });
});

describe('blank dates and date/times', () => {
  it.each([
    ['ISBLANK(CloseDate)', true],
    ['ISBLANK(CloseDate + 1)', true],
    ['ISBLANK(CloseDate - 1)', true],
    ['ISBLANK(TODAY() - CloseDate)', true],
    ['CloseDate < TODAY()', false],
    ['CloseDate >= TODAY()', false],
    ['CloseDate <> TODAY()', false],
    ['ISBLANK(CreatedDate)', true],
    ['ISBLANK(NOW() - CreatedDate)', true],
    ['CreatedDate < NOW()', false],
    ['ISBLANK(DATEVALUE(CreatedDate))', true],
    ['ISBLANK(TEXT(CloseDate))', true],
  ])('%s is %s', (formula, expected) => {
    expect(valueOf(formula, blankDeal)).toBe(expected);
  });

  it('reads an empty date text as blank', () => {
    expect(valueOf('ISBLANK(CloseDate)', deal({ CloseDate: '' }))).toBe(true);
  });
});

describe('NULL literal', () => {
  it.each([
    ['ISBLANK(NULL)', true],
    ['NULL = NULL', false],
    ['1 = NULL', false],
    ['ISBLANK(NULL + 1)', true],
    ['ISBLANK(IF(FALSE, 1, NULL))', true],
    ['ISBLANK(IF(FALSE, "a", NULL))', true],
    ['ISBLANK(NULL & "")', true],
  ])('%s is %s', (formula, expected) => {
    expect(valueOf(formula)).toBe(expected);
  });
});

describe('blank lookups', () => {
  it.each([
    ['ISBLANK(Owner.AccountId)', deal({ Owner: null })],
    ['ISBLANK(Owner.AccountId)', deal({})],
    ['ISBLANK(Owner.Account.Name)', deal({ Owner: { AccountId: null } })],
    ['ISBLANK(Owner.Account.Name)', deal({ Owner: { Account: null } })],
    ['Owner.Account.Name = ""', deal({ Owner: null })],
  ])('%s is true', (formula, record) => {
    expect(valueOf(formula, record)).toBe(true);
  });

  it('reads a field through two lookups', () => {
    const record = deal({ Owner: { Account: { Name: 'Acme Partners' } } });
    expect(valueOf('Owner.Account.Name = "Acme Partners"', record)).toBe(true);
  });
});
