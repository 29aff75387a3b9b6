import { describe, expect, it } from '@jest/globals';
import { compileFormulaWith } from '../../../middleware/src/domain/criteria/compile-formula.js';
import { RecordValueError } from '../../../middleware/src/domain/criteria/index.js';
import type { EvaluationEnv } from '../../../middleware/src/domain/criteria/index.js';
import { compile, deal, env, schema, valueOf } from './org-schema-fixture.js';

function at(iso: string, timeZone: string): EvaluationEnv {
  return { now: new Date(iso), timeZone };
}

describe('TODAY in the org time zone', () => {
  // 02:30 UTC on 10 March is the evening of 9 March in Los Angeles and the
  // morning of 10 March in Tokyo.
  const afterMidnightUtc = '2024-03-10T02:30:00Z';
  // 23:30 UTC on 9 March is already 10 March in Tokyo.
  const beforeMidnightUtc = '2024-03-09T23:30:00Z';

  it.each([
    [afterMidnightUtc, 'America/Los_Angeles', '2024-03-09'],
    [afterMidnightUtc, 'Asia/Tokyo', '2024-03-10'],
    [afterMidnightUtc, 'UTC', '2024-03-10'],
    [beforeMidnightUtc, 'America/Los_Angeles', '2024-03-09'],
    [beforeMidnightUtc, 'Asia/Tokyo', '2024-03-10'],
    [beforeMidnightUtc, 'UTC', '2024-03-09'],
  ])('at %s in %s is %s', (instant, zone, date) => {
    expect(
      valueOf(`TODAY() = DATEVALUE("${date}")`, deal(), at(instant, zone)),
    ).toBe(true);
    expect(
      valueOf(`TEXT(TODAY()) = "${date}"`, deal(), at(instant, zone)),
    ).toBe(true);
  });

  it('decides a close date criterion by the zone', () => {
    const compiled = compile('CloseDate >= TODAY()');
    const record = deal({ CloseDate: '2024-03-09' });
    const losAngeles = at(afterMidnightUtc, 'America/Los_Angeles');
    const tokyo = at(afterMidnightUtc, 'Asia/Tokyo');
    expect(compiled.evaluate(record, losAngeles).value).toBe(true);
    expect(compiled.evaluate(record, tokyo).value).toBe(false);
    expect(compiled.evaluate(record, losAngeles).value).toBe(true);
  });

  it('rejects a time zone that is not an IANA name', () => {
    const compiled = compile('TODAY() > CloseDate');
    expect(() =>
      compiled.evaluate(deal(), at(afterMidnightUtc, 'Mars/Olympus')),
    ).toThrow('EvaluationEnv.timeZone "Mars/Olympus" is not an IANA time zone');
  });

  it('rejects an invalid evaluation instant', () => {
    const compiled = compile('NOW() > CreatedDate');
    expect(() =>
      compiled.evaluate(deal(), { now: new Date('soon'), timeZone: 'UTC' }),
    ).toThrow('EvaluationEnv.now is Invalid Date');
  });
});

describe('date arithmetic', () => {
  const record = deal({ CloseDate: '2024-02-28' });

  it.each([
    ['CloseDate + 1 = DATEVALUE("2024-02-29")', true],
    ['CloseDate + 2 = DATEVALUE("2024-03-01")', true],
    ['2 + CloseDate = DATEVALUE("2024-03-01")', true],
    ['CloseDate - 28 = DATEVALUE("2024-01-31")', true],
    ['CloseDate + 1.9 = CloseDate + 1', true],
    ['DATEVALUE("2024-03-01") - CloseDate = 2', true],
    ['CloseDate - DATEVALUE("2024-03-01") = -2', true],
    ['DATEVALUE("2025-01-01") - DATEVALUE("2024-01-01") = 366', true],
    ['CloseDate < DATEVALUE("2024-03-01")', true],
    ['CloseDate = DATEVALUE("2024-02-28")', true],
    ['TEXT(CloseDate) = "2024-02-28"', true],
    ['TODAY() - CloseDate = 11', true],
  ])('%s is %s', (formula, expected) => {
    expect(valueOf(formula, record)).toBe(expected);
  });

  it('counts days across the year 1900 and 2400', () => {
    expect(
      valueOf('DATEVALUE("1900-03-01") - DATEVALUE("1900-02-28") = 1'),
    ).toBe(true);
    expect(
      valueOf('DATEVALUE("2400-03-01") - DATEVALUE("2400-02-28") = 2'),
    ).toBe(true);
  });
});

describe('date arithmetic out of range', () => {
  // Salesforce accepts dates from 1700-01-01 to 4000-12-31. A million days is
  // about 2,700 years, and 1e8 days is beyond JavaScript's Date range.
  const record = deal({ CloseDate: '2024-02-28', Amount: 1e8 });

  it.each([
    ['TEXT(CloseDate + Amount)'],
    ['TEXT(TODAY() + 99999999)'],
    ['TEXT(NOW() + 99999999)'],
    ['TEXT(TODAY() - 1000000)'],
    ['TEXT(NOW() - 1000000)'],
    ['TEXT(DATEVALUE("4000-12-31") + 1)'],
    ['TEXT(DATEVALUE("1700-01-01") - 1)'],
    ['TEXT(CloseDate + 10 ^ 400)'],
    ['TEXT(DATEVALUE("0500-01-01"))'],
    ['TEXT(DATEVALUE("1699-12-31"))'],
    ['TEXT(DATEVALUE("4001-01-01"))'],
    ['TEXT(DATEVALUE("9999-12-31"))'],
    ['DATEVALUE("4001-01-01") - CloseDate'],
    ['DATEVALUE(" 0001-01-01 ")'],
  ])('%s is blank in both back ends', (expression) => {
    for (const backEnd of ['generated', 'closures'] as const) {
      const compiled = compileFormulaWith(
        `ISBLANK(${expression})`,
        { rootObject: 'Opportunity', schema, criterionName: 'Range' },
        backEnd,
      );
      expect([backEnd, compiled.evaluate(record, env).value]).toEqual([
        backEnd,
        true,
      ]);
    }
  });

  it.each([
    ['TEXT(DATEVALUE("4000-12-30") + 1) = "4000-12-31"'],
    ['TEXT(DATEVALUE("1700-01-02") - 1) = "1700-01-01"'],
    ['TEXT(DATEVALUE("1700-01-01") + 0.5) = "1700-01-01"'],
    ['TEXT(DATEVALUE("1700-01-01")) = "1700-01-01"'],
    ['TEXT(DATEVALUE("4000-12-31")) = "4000-12-31"'],
  ])('%s at the edge of the range', (formula) => {
    expect(valueOf(formula, record)).toBe(true);
  });

  it('compares an out-of-range literal as FALSE', () => {
    expect(
      valueOf('TEXT(DATEVALUE("0500-01-01")) = "0500-01-01"', record),
    ).toBe(false);
    expect(valueOf('DATEVALUE("9999-12-31") > CloseDate', record)).toBe(false);
  });

  it('compares a blank out-of-range date as FALSE', () => {
    expect(valueOf('TODAY() + 99999999 > TODAY()', record)).toBe(false);
    expect(valueOf('TEXT(CloseDate + Amount) = "x"', record)).toBe(false);
  });
});

describe('date/time values', () => {
  const record = deal({
    CreatedDate: '2024-03-08T14:30:00.000Z',
    Customer_Evaluation_Confirmed_At__c: '2024-03-09T02:30:00.000+0000',
  });

  it.each([
    ['CreatedDate < NOW()', true],
    ['CreatedDate < Customer_Evaluation_Confirmed_At__c', true],
    ['Customer_Evaluation_Confirmed_At__c - CreatedDate = 0.5', true],
    ['NOW() - CreatedDate = 1.5', true],
    ['CreatedDate + 0.5 = Customer_Evaluation_Confirmed_At__c', true],
    ['Customer_Evaluation_Confirmed_At__c - 0.5 = CreatedDate', true],
    ['CreatedDate + 1.5 = NOW()', true],
    ['DATEVALUE(CreatedDate) = DATEVALUE("2024-03-08")', true],
    ['TEXT(CreatedDate) = "2024-03-08 14:30:00Z"', true],
    ['CreatedDate = CreatedDate', true],
    ['CreatedDate <> Customer_Evaluation_Confirmed_At__c', true],
  ])('%s is %s', (formula, expected) => {
    expect(valueOf(formula, record)).toBe(expected);
  });

  it.each([
    ['2024-03-08T16:30:00+02:00'],
    ['2024-03-08T16:30:00.000+0200'],
    ['2024-03-08T09:30-05:00'],
    ['2024-03-08 14:30:00Z'],
    ['2024-03-08T14:30:00'],
    ['2024-03-08T14:30:00.000000Z'],
  ])('reads %s as 14:30 UTC', (text) => {
    const formula = 'TEXT(CreatedDate) = "2024-03-08 14:30:00Z"';
    expect(valueOf(formula, deal({ CreatedDate: text }))).toBe(true);
  });

  it('reads a bare date as its midnight UTC', () => {
    const formula = 'TEXT(CreatedDate) = "2024-03-08 00:00:00Z"';
    expect(valueOf(formula, deal({ CreatedDate: '2024-03-08' }))).toBe(true);
  });

  it.each([
    ['CreatedDate < NOW()', { CreatedDate: 'yesterday' }, 'CreatedDate'],
    [
      'CreatedDate < NOW()',
      { CreatedDate: '2024-13-01T00:00:00Z' },
      'CreatedDate',
    ],
    [
      'CreatedDate < NOW()',
      { CreatedDate: '2024-03-08T25:00:00Z' },
      'CreatedDate',
    ],
    ['CloseDate < TODAY()', { CloseDate: '2023-02-29' }, 'CloseDate'],
    ['CloseDate < TODAY()', { CloseDate: 20240301 }, 'CloseDate'],
  ])('%s rejects %j', (formula, fields, path) => {
    const compiled = compile(formula, 'Dates');
    let caught: unknown;
    try {
      compiled.evaluate(deal(fields), { now: new Date(), timeZone: 'UTC' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RecordValueError);
    expect((caught as Error).message).toContain(
      `Criterion Dates: ${path} holds`,
    );
  });
});
