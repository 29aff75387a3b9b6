import { describe, expect, it } from '@jest/globals';
import { deal, valueOf } from './org-schema-fixture.js';

describe('operator precedence', () => {
  it.each([
    ['1 + 2 * 3 = 7', true],
    ['(1 + 2) * 3 = 9', true],
    ['10 - 4 - 3 = 3', true],
    ['12 / 3 / 2 = 2', true],
    ['2 ^ 3 ^ 2 = 512', true],
    ['-2 ^ 2 = -4', true],
    ['(-2) ^ 2 = 4', true],
    ['2 ^ -1 = 0.5', true],
    ['2 * 3 ^ 2 = 18', true],
    ['-3 + 5 = 2', true],
    ['+3 = 3', true],
    ['1 + 2 = 3 = TRUE', true],
    ['"a" & "b" = "ab"', true],
    ['"n" & "1" = "n1" && 1 < 2', true],
    ['TRUE || FALSE && FALSE', true],
    ['(TRUE || FALSE) && FALSE', false],
    ['!FALSE && FALSE', false],
    ['!(FALSE && FALSE)', true],
    ['NOT(1 = 2) && 2 > 1 || FALSE', true],
    ['1 < 2 = TRUE', true],
  ])('%s is %s', (formula, expected) => {
    expect(valueOf(formula)).toBe(expected);
  });
});

describe('comparison operators', () => {
  it.each([
    ['1 = 1', true],
    ['1 == 1', true],
    ['1 = 2', false],
    ['1 != 2', true],
    ['1 <> 1', false],
    ['1 < 2', true],
    ['2 < 2', false],
    ['2 <= 2', true],
    ['3 > 2', true],
    ['2 > 2', false],
    ['2 >= 3', false],
    ['1.10 = 1.1', true],
    ['"abc" = "abc"', true],
    ['"ABC" = "abc"', false],
    ['"abc" <> "abd"', true],
    ['TRUE = TRUE', true],
    ['TRUE <> FALSE', true],
    ['FALSE = TRUE', false],
  ])('%s is %s', (formula, expected) => {
    expect(valueOf(formula)).toBe(expected);
  });
});

describe('arithmetic', () => {
  it.each([
    ['0.1 + 0.2 = 0.3', true],
    ['33.33 + 33.33 + 33.34 = 100', true],
    ['1.1 * 1.1 = 1.21', true],
    ['10 / 4 = 2.5', true],
    ['1 / 3 * 3 = 1', false],
    ['1 / 3 = 0.3333333333333333333333333333333333', true],
    ['0.3 - 0.1 = 0.2', true],
    ['999999999999999 + 1 = 1000000000000000', true],
    ['0.000000001 + 0.000000001 = 0.000000002', true],
    ['2 ^ 0.5 > 1.414 && 2 ^ 0.5 < 1.415', true],
    ['"a" + "b" = "ab"', true],
  ])('%s is %s', (formula, expected) => {
    expect(valueOf(formula)).toBe(expected);
  });

  it('adds record amounts exactly', () => {
    const record = deal({ Amount: 0.1, TotalOpportunityQuantity: 0.2 });
    expect(valueOf('Amount + TotalOpportunityQuantity = 0.3', record)).toBe(
      true,
    );
  });

  it('reads numbers that arrive as text', () => {
    expect(valueOf('Amount = 1250.5', deal({ Amount: '1250.50' }))).toBe(true);
  });

  it('divides by zero to blank', () => {
    expect(valueOf('ISBLANK(1 / 0)')).toBe(true);
    expect(valueOf('1 / 0 = 0')).toBe(false);
  });

  it('gives blank for a power that is not a real number', () => {
    expect(valueOf('ISBLANK((-8) ^ 0.5)')).toBe(true);
  });
});

describe('functions', () => {
  it.each([
    ['IF(1 > 2, "a", "b") = "b"', true],
    ['IF(TRUE, 1, NULL) = 1', true],
    ['AND(TRUE, TRUE, TRUE)', true],
    ['AND(TRUE, FALSE, TRUE)', false],
    ['OR(FALSE, FALSE, TRUE)', true],
    ['OR(FALSE)', false],
    ['NOT(TRUE)', false],
    ['BLANKVALUE(NULL, 5) = 5', true],
    ['BLANKVALUE(3, 5) = 3', true],
    ['LEN("héllo") = 5', true],
    ['LEN("") = 0', true],
    ['CONTAINS("Platform renewal", "renewal")', true],
    ['CONTAINS("Platform renewal", "Renewal")', false],
    ['VALUE("12.50") = 12.5', true],
    ['VALUE(" -3 ") = -3', true],
    ['ISBLANK(VALUE("twelve"))', true],
    ['TEXT(1.50) = "1.5"', true],
    ['TEXT(1000000) = "1000000"', true],
    ['TEXT(-0.25) = "-0.25"', true],
    ['DATEVALUE("2024-02-29") = DATEVALUE("2024-03-01") - 1', true],
    ['ISBLANK(DATEVALUE("2023-02-29"))', true],
    ['ISBLANK(DATEVALUE("next week"))', true],
  ])('%s is %s', (formula, expected) => {
    expect(valueOf(formula)).toBe(expected);
  });
});

describe('syntax', () => {
  it.each([
    ['and(true, True, TRUE)', true],
    ['not(false)', true],
    ['isblank(null)', true],
    ['/* a note */ 1 = 1 /* another */', true],
    ['AND(\n  /* first */ TRUE,\n  1 < 2\n)', true],
    ['"a\\"b" = \'a"b\'', true],
    ["'it\\'s' = \"it's\"", true],
    ['LEN("a\\\\b") = 3', true],
    ['LEN("tab\\there") = 8', true],
    ['LEN("line\\nbreak") = 10', true],
    ['.5 = 0.5', true],
  ])('%s is %s', (formula, expected) => {
    expect(valueOf(formula)).toBe(expected);
  });
});
