import { describe, expect, it } from '@jest/globals';
import {
  compileFormula,
  CriteriaError,
} from '../../../middleware/src/domain/criteria/index.js';
import { compile, schema } from './org-schema-fixture.js';

function compileError(formula: string, criterionName = 'Test'): CriteriaError {
  try {
    compile(formula, criterionName);
  } catch (error) {
    if (error instanceof CriteriaError) return error;
    throw error;
  }
  throw new Error(`${formula} compiled, but it should not`);
}

describe('syntax errors', () => {
  it('names the criterion, position, expected and found text', () => {
    const error = compileError('(TRUE, FALSE)', 'Default_Registered_Owners');
    expect(error.message).toBe(
      'Criterion Default_Registered_Owners: line 1, column 6: expected ")" but found ","',
    );
    expect(error.name).toBe('CriteriaError');
    expect(error.criterionName).toBe('Default_Registered_Owners');
    expect(error.line).toBe(1);
    expect(error.column).toBe(6);
    expect(error.expected).toBe('")"');
    expect(error.found).toBe('","');
  });

  it.each([
    ['AND(TRUE, FALSE', 1, 16, 'expected ")" but found the end of the formula'],
    [
      'AND(\n  TRUE,\n  FALSE',
      3,
      8,
      'expected ")" but found the end of the formula',
    ],
    [
      '1 = 1 )',
      1,
      7,
      'expected an operator or the end of the formula but found ")"',
    ],
    [
      'IsWon IsClosed',
      1,
      7,
      'expected an operator or the end of the formula but found "IsClosed"',
    ],
    [
      '1 = = 1',
      1,
      5,
      'expected a value (a number, text in quotes, TRUE, FALSE, NULL, a field, a function or "(") but found "="',
    ],
    ['NOT()', 1, 1, 'NOT takes 1 argument but was given 0'],
    ['AND(TRUE,)', 1, 10, 'expected a value'],
    ['Owner.', 1, 7, 'expected a name but found the end of the formula'],
    ['"open', 1, 1, 'text starting with " has no closing "'],
    ["'open", 1, 1, "text starting with ' has no closing '"],
    ['IsWon /* open', 1, 7, 'comment starting with /* has no closing */'],
    [
      'IsWon = $User.IsActive',
      1,
      9,
      'unexpected character "$"; global variables such as $User are not supported',
    ],
    ['IsWon # 1', 1, 7, 'unexpected character "#"'],
    ['"a\\qb" = "a"', 1, 3, 'unknown escape sequence "\\q" in text'],
    ['"line\nmore\\q" = ""', 2, 5, 'unknown escape sequence "\\q" in text'],
    ['', 1, 1, 'the formula is empty'],
    ['   /* only a comment */  ', 1, 26, 'the formula is empty'],
    ['\n\n  1 = ', 3, 7, 'expected a value'],
  ])('%j fails at line %i, column %i', (formula, line, column, message) => {
    const error = compileError(formula);
    expect(error.line).toBe(line);
    expect(error.column).toBe(column);
    expect(error.message).toContain(message);
  });
});

describe('error columns in code points', () => {
  // Each 😀 is one code point but two UTF-16 units, and an editor shows one column.
  it.each([
    ['"😀😀" = NextStep && Amonut > 0', 1, 20, 'unknown field Amonut'],
    ['"😀😀" = NextStep &&', 1, 19, 'expected a value'],
    ['"😀😀" = NextStep IsWon', 1, 17, 'expected an operator'],
    ['"😀😀" = # 1', 1, 8, 'unexpected character "#"'],
    ['"😀😀" = "a😀\\qb"', 1, 11, 'unknown escape sequence "\\q"'],
    ['"😀😀" = "open', 1, 8, 'text starting with " has no closing "'],
    ['IsWon /* 😀 */ 😀', 1, 15, 'unexpected character "😀"'],
    ['"😀"\n = "😀😀" + 1', 2, 11, 'an operand of "+"'],
  ])('%j fails at line %i, column %i', (formula, line, column, message) => {
    const error = compileError(formula);
    expect(error.line).toBe(line);
    expect(error.column).toBe(column);
    expect(error.message).toContain(message);
  });
});

describe('name errors', () => {
  it.each([
    [
      'Amonut > 0',
      1,
      1,
      'unknown field Amonut on Opportunity; did you mean Amount?',
    ],
    ['Zzz_Nothing__c > 0', 1, 1, 'unknown field Zzz_Nothing__c on Opportunity'],
    [
      'Owner.Nmae = "x"',
      1,
      7,
      'unknown field Nmae on User; did you mean Name?',
    ],
    [
      'Ownr.Name = "x"',
      1,
      1,
      'unknown relationship Ownr on Opportunity; did you mean Owner?',
    ],
    [
      'OwnerId.Name = "x"',
      1,
      1,
      'OwnerId is a field, not a relationship; write Owner to read through the lookup',
    ],
    [
      'Vendor_Owner__c.Name = "x"',
      1,
      1,
      'write Vendor_Owner__r to read through the lookup',
    ],
    [
      'ISBLANK(Owner)',
      1,
      9,
      'Owner is a relationship; name one of its fields, such as Owner.Id, or read the lookup field OwnerId',
    ],
    [
      'ISBLANK(Deal_Partners__r)',
      1,
      9,
      'Deal_Partners__r is a child relationship of Opportunity; read it with COUNT, SUM, ALL or ANY',
    ],
    [
      'ISBLANK(Deal_Partners__r.Role__c)',
      1,
      9,
      'Deal_Partners__r is a child relationship of Opportunity',
    ],
    [
      'ISBLANK(Last_Touched_By__r.Name)',
      1,
      9,
      'Last_Touched_By__r points to more than one object (User, Group)',
    ],
    [
      'ISBLANK(Campaign.Name)',
      1,
      9,
      'Campaign points to Campaign, which is not in the org schema',
    ],
    [
      'Regions__c = "EMEA"',
      1,
      1,
      'Regions__c is a multi-select picklist, which "=" cannot take; test it with ISBLANK(Regions__c) or INCLUDES(Regions__c, "value")',
    ],
    [
      'INCLUDES(Name, "EMEA")',
      1,
      10,
      'argument 1 of INCLUDES must be a multi-select picklist field but is text',
    ],
    [
      'ISBLANK(Owner.Account.Nothing)',
      1,
      23,
      'unknown field Nothing on Account',
    ],
    [
      'ISNULL(Amount)',
      1,
      1,
      'unknown function ISNULL; criteria support ALL, AND, ANY, BLANKVALUE',
    ],
    ['CASE(Amount, 1, TRUE, FALSE)', 1, 1, 'unknown function CASE'],
    [
      'Amount.Value > 1',
      1,
      1,
      'Amount is a field of Opportunity, not a relationship, so no field can follow it; read Amount without the dot',
    ],
    [
      'Name.Foo = "x"',
      1,
      1,
      'Name is a field of Opportunity, not a relationship, so no field can follow it',
    ],
    [
      'Owner.Name.Foo = "x"',
      1,
      7,
      'Name is a field of User, not a relationship, so no field can follow it',
    ],
    [
      'CloseDate = TODAY',
      1,
      13,
      'unknown field TODAY on Opportunity; TODAY is a function, so write TODAY() to call it',
    ],
    [
      'NOW > CreatedDate',
      1,
      1,
      'unknown field NOW on Opportunity; NOW is a function, so write NOW() to call it',
    ],
    [
      'ISBLANK(today)',
      1,
      9,
      'unknown field today on Opportunity; TODAY is a function, so write TODAY() to call it',
    ],
    ['Owner.TODAY = "x"', 1, 7, 'unknown field TODAY on User'],
    [
      'TODAY.Foo = 1',
      1,
      1,
      'unknown relationship TODAY on Opportunity; TODAY is a function, so write TODAY() to call it',
    ],
    [
      'ISBLANK(now.Year__c)',
      1,
      9,
      'unknown relationship now on Opportunity; NOW is a function, so write NOW() to call it',
    ],
  ])('%s fails at line %i, column %i', (formula, line, column, message) => {
    const error = compileError(formula);
    expect(error.line).toBe(line);
    expect(error.column).toBe(column);
    expect(error.message).toContain(message);
  });

  it('gives no call hint after a dot', () => {
    const error = compileError('Owner.TODAY = "x"');
    expect(error.message).not.toContain('TODAY()');
    const relationship = compileError('Owner.TODAY.Foo = "x"');
    expect(relationship.message).toContain(
      'unknown relationship TODAY on User',
    );
    expect(relationship.message).not.toContain('TODAY()');
  });
});

describe('arity errors', () => {
  it.each([
    [
      'IF(TRUE, FALSE)',
      'IF takes 3 arguments but was given 2; write IF(condition, value if true, value if false)',
    ],
    ['AND()', 'AND takes at least 1 argument but was given 0'],
    ['OR()', 'OR takes at least 1 argument but was given 0'],
    ['NOT(TRUE, FALSE)', 'NOT takes 1 argument but was given 2'],
    ['ISBLANK()', 'ISBLANK takes 1 argument but was given 0'],
    ['ISPICKVAL(StageName)', 'ISPICKVAL takes 2 arguments but was given 1'],
    ['TODAY(1) = TODAY()', 'TODAY takes 0 arguments but was given 1'],
    ['NOW(1) = NOW()', 'NOW takes 0 arguments but was given 1'],
    ['TEXT() = ""', 'TEXT takes 1 argument but was given 0'],
    ['BLANKVALUE(1) = 1', 'BLANKVALUE takes 2 arguments but was given 1'],
    ['LEN("a", "b") = 1', 'LEN takes 1 argument but was given 2'],
    ['CONTAINS("a")', 'CONTAINS takes 2 arguments but was given 1'],
    ['DATEVALUE() = TODAY()', 'DATEVALUE takes 1 argument but was given 0'],
    ['VALUE() = 1', 'VALUE takes 1 argument but was given 0'],
    ['COUNT() = 1', 'COUNT takes 1 to 2 arguments but was given 0'],
  ])('%s is an error at the function name', (formula, message) => {
    const error = compileError(formula);
    expect(error.line).toBe(1);
    expect(error.column).toBe(1);
    expect(error.message).toContain(message);
  });

  it('points at a nested call', () => {
    const error = compileError('AND(TRUE,\n    if(TRUE, FALSE))');
    expect(error.line).toBe(2);
    expect(error.column).toBe(5);
    expect(error.expected).toBe('3 arguments');
    expect(error.found).toBe('2');
  });
});

describe('type errors', () => {
  it.each([
    [
      'Amount',
      1,
      1,
      'the formula returns a number, but a criterion must return TRUE or FALSE',
    ],
    ['1 + 1', 1, 1, 'the formula returns a number'],
    ['NextStep', 1, 1, 'the formula returns text'],
    ['NULL', 1, 1, 'the formula returns NULL'],
    ['CloseDate', 1, 1, 'the formula returns a date'],
    [
      'NOT(Amount)',
      1,
      5,
      'argument 1 of NOT must be a boolean but is a number',
    ],
    [
      'AND(TRUE, NextStep)',
      1,
      11,
      'argument 2 of AND must be a boolean but is text',
    ],
    [
      'IF(Amount, TRUE, FALSE)',
      1,
      4,
      'argument 1 of IF must be a boolean but is a number',
    ],
    [
      'IF(TRUE, 1, "one") = 1',
      1,
      13,
      'the values of IF must have the same type, but the first is a number and this one is text',
    ],
    [
      'BLANKVALUE(Amount, "none") = 1',
      1,
      20,
      'the values of BLANKVALUE must have the same type',
    ],
    [
      'Amount = "1"',
      1,
      10,
      '"=" cannot compare a number with text; convert with VALUE() or TEXT()',
    ],
    [
      'CloseDate = NOW()',
      1,
      13,
      '"=" cannot compare a date with a date/time; convert the date/time with DATEVALUE()',
    ],
    ['IsWon = 1', 1, 9, '"=" cannot compare a boolean with a number'],
    [
      'NextStep < "b"',
      1,
      10,
      '"<" compares numbers, dates and date/times, not text',
    ],
    [
      'IsWon >= FALSE',
      1,
      7,
      '">=" compares numbers, dates and date/times, not a boolean',
    ],
    [
      'Amount & "x" = "x"',
      1,
      1,
      'an operand of "&" must be text but is a number; convert it with TEXT()',
    ],
    [
      '"x" & CloseDate = "x"',
      1,
      7,
      'an operand of "&" must be text but is a date',
    ],
    [
      'IsWon + 1 > 0',
      1,
      1,
      'an operand of "+" must be a number but is a boolean',
    ],
    [
      'CloseDate + CloseDate > TODAY()',
      1,
      13,
      '"+" after a date needs a number of days, but this is a date',
    ],
    [
      'CloseDate - CreatedDate > 0',
      1,
      13,
      '"-" after a date needs a number of days or a date, but this is a date/time',
    ],
    [
      'NOW() + NOW() > NOW()',
      1,
      9,
      '"+" after a date/time needs a number of days, but this is a date/time',
    ],
    [
      '1 - CloseDate > 0',
      1,
      5,
      'an operand of "-" must be a number but is a date; dates and date/times take a number of days',
    ],
    [
      'CloseDate * 2 > 0',
      1,
      1,
      'an operand of "*" must be a number but is a date',
    ],
    ['"a" / 2 > 0', 1, 1, 'an operand of "/" must be a number but is text'],
    ['2 ^ "a" > 0', 1, 5, 'an operand of "^" must be a number but is text'],
    [
      'NextStep + 1 = "x"',
      1,
      12,
      'an operand of "+" must be text but is a number',
    ],
    ['-NextStep = ""', 1, 2, 'the operand of "-" must be a number but is text'],
    ['!Amount', 1, 2, 'the operand of "!" must be a boolean but is a number'],
    [
      'Amount && TRUE',
      1,
      1,
      'an operand of "&&" must be a boolean but is a number',
    ],
    ['TRUE || 1', 1, 9, 'an operand of "||" must be a boolean but is a number'],
    [
      'TEXT(IsWon) = "true"',
      1,
      6,
      'argument 1 of TEXT must be a number or a date or a date/time or a picklist or text but is a boolean',
    ],
    ['LEN(Amount) > 1', 1, 5, 'argument 1 of LEN must be text but is a number'],
    [
      'CONTAINS(NextStep, 1)',
      1,
      20,
      'argument 2 of CONTAINS must be text but is a number',
    ],
    [
      'DATEVALUE(Amount) = TODAY()',
      1,
      11,
      'argument 1 of DATEVALUE must be a date/time or a date or text but is a number',
    ],
    [
      'VALUE(Amount) = 1',
      1,
      7,
      'argument 1 of VALUE must be text but is a number',
    ],
    [
      'ISPICKVAL(Amount, "1")',
      1,
      11,
      'argument 1 of ISPICKVAL must be a picklist field but is a number',
    ],
  ])('%s fails at line %i, column %i', (formula, line, column, message) => {
    const error = compileError(formula);
    expect(error.line).toBe(line);
    expect(error.column).toBe(column);
    expect(error.message).toContain(message);
  });

  it('fills expected and found for a type error', () => {
    const error = compileError('NOT(Amount)');
    expect(error.expected).toBe('a boolean');
    expect(error.found).toBe('a number');
  });
});

describe('compile options', () => {
  it('rejects a root object outside the schema', () => {
    expect(() =>
      compileFormula('IsWon', {
        rootObject: 'Lead',
        schema,
        criterionName: 'Lead_Criterion',
      }),
    ).toThrow(
      'Criterion Lead_Criterion: line 1, column 1: the root object Lead is not in the org schema',
    );
  });

  it('compiles against another root object', () => {
    const compiled = compileFormula('Owner.IsActive && IsPartner', {
      rootObject: 'Account',
      schema,
      criterionName: 'Account_Criterion',
    });
    expect(compiled.fieldPaths).toEqual(['Owner.IsActive', 'IsPartner']);
  });
});
