import { describe, expect, it } from '@jest/globals';
import {
  compileFormula,
  CriteriaError,
} from '../../../middleware/src/domain/criteria/index.js';
import { MAX_NESTING } from '../../../middleware/src/domain/criteria/parser.js';
import { env, schema } from './org-schema-fixture.js';

const options = {
  rootObject: 'Opportunity',
  schema,
  criterionName: 'Deep_Test',
};

/** Returns the CriteriaError that compiling `formula` raises. */
function errorOf(formula: string): CriteriaError {
  try {
    compileFormula(formula, options);
  } catch (error) {
    if (error instanceof CriteriaError) return error;
    throw error;
  }
  throw new Error('the formula compiled');
}

describe('nesting limit', () => {
  it.each([
    ['NOT(', ')', 'IsWon'],
    ['(', ')', 'IsWon'],
    ['IF(IsWon, ', ', FALSE)', 'TRUE'],
  ])('accepts %s nested to the limit', (open, close, inner) => {
    const formula = `${open.repeat(MAX_NESTING)}${inner}${close.repeat(MAX_NESTING)}`;
    expect(
      compileFormula(formula, options).evaluate({ IsWon: true }, env),
    ).toBeDefined();
  });

  it.each([
    ['NOT(', ')', 'IsWon'],
    ['(', ')', 'IsWon'],
    ['IF(IsWon, ', ', FALSE)', 'TRUE'],
  ])('names the position of %s nested 10,000 deep', (open, close, inner) => {
    const formula = `${open.repeat(10_000)}${inner}${close.repeat(10_000)}`;
    const error = errorOf(formula);
    expect(error.line).toBe(1);
    // The error points at the opening parenthesis one level past the limit.
    expect(error.column).toBe(
      open.length * MAX_NESTING + open.indexOf('(') + 1,
    );
    expect(error.detail).toContain(`more than ${MAX_NESTING} levels`);
  });

  it('counts a run of prefix operators as nesting', () => {
    const error = errorOf(`${'!'.repeat(MAX_NESTING + 1)}IsWon`);
    expect(error.column).toBe(MAX_NESTING + 1);
  });

  it('compiles a chain of 2,000 additions', () => {
    const formula = `${Array(2000).fill('Amount').join(' + ')} > 0`;
    const compiled = compileFormula(formula, options);
    expect(compiled.evaluate({ Amount: 1 }, env).value).toBe(true);
  });
});
