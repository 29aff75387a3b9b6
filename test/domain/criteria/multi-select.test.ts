import { describe, expect, it } from '@jest/globals';
import { compileFormula } from '../../../middleware/src/domain/criteria/index.js';
import { schema as orgSchemaFixture } from './org-schema-fixture.js';

const env = { now: new Date('2026-12-04T12:00:00Z'), timeZone: 'UTC' };

function evaluate(formula: string, record: Record<string, unknown>) {
  return compileFormula(formula, {
    rootObject: 'Opportunity',
    schema: orgSchemaFixture,
    criterionName: 'Multi',
  }).evaluate(record as never, env).value;
}

describe('multi-select picklists', () => {
  it.each([
    [null, true],
    ['', true],
    ['EMEA', false],
    ['EMEA;APAC', false],
  ])('ISBLANK of %p is %p', (value, expected) => {
    expect(evaluate('ISBLANK(Regions__c)', { Regions__c: value })).toBe(
      expected,
    );
  });

  it.each([
    ['EMEA;APAC', true],
    ['APAC', false],
    ['EMEA Central', false],
    [null, false],
  ])('INCLUDES(Regions__c, "EMEA") of %p is %p', (value, expected) => {
    expect(
      evaluate('INCLUDES(Regions__c, "EMEA")', { Regions__c: value }),
    ).toBe(expected);
  });
});
