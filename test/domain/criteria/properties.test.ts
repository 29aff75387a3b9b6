import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { compile, env } from './org-schema-fixture.js';
import {
  boolExpr,
  dealRecord,
  formulaText,
  referenceInterpreter,
} from './reference-model.js';

/** The fixture's evaluation instant is 2024-03-10 in UTC. */
const reference = referenceInterpreter('2024-03-10');

describe('compiled formulas', () => {
  it('agree with a plain interpreter on random deals', () => {
    fc.assert(
      fc.property(
        boolExpr,
        fc.array(dealRecord, { minLength: 1, maxLength: 4 }),
        (tree, records) => {
          const compiled = compile(formulaText(tree));
          for (const record of records) {
            expect(compiled.evaluate(record, env).value).toBe(
              reference(tree, record),
            );
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('keep De Morgan laws with blanks', () => {
    fc.assert(
      fc.property(boolExpr, boolExpr, dealRecord, (left, right, record) => {
        const a = formulaText(left);
        const b = formulaText(right);
        const laws = [
          `AND(${a}, ${b}) = NOT(OR(NOT(${a}), NOT(${b})))`,
          `OR(${a}, ${b}) = NOT(AND(NOT(${a}), NOT(${b})))`,
          `(${a} && ${b}) = AND(${a}, ${b})`,
          `IF(${a}, TRUE, FALSE) = AND(${a})`,
        ];
        for (const law of laws) {
          expect(compile(law).evaluate(record, env).value).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('report each field and aggregate read once, all of them listed', () => {
    fc.assert(
      fc.property(boolExpr, dealRecord, (tree, record) => {
        const compiled = compile(formulaText(tree));
        const { reads } = compiled.evaluate(record, env);
        const paths = reads.map((read) => read.path);
        expect(new Set(paths).size).toBe(paths.length);
        for (const read of reads) {
          if (read.relationship === undefined) {
            expect(compiled.fieldPaths).toContain(read.path);
          } else {
            expect(compiled.childFieldPaths).toHaveProperty([
              read.relationship,
            ]);
            expect(read.recordCount).toBe(
              (record['Deal_Partners__r'] as unknown[]).length,
            );
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
