import type { RecordData } from '../records.js';
import { compileNode } from './compile-expression.js';
import { CompileState, EvaluationContext } from './compiled-node.js';
import { CriteriaError } from './criteria-error.js';
import { describeType } from './formula-type.js';
import { parseFormula } from './parser.js';
import type {
  CompiledFormula,
  CompileOptions,
  EvaluationEnv,
  FormulaResult,
} from './types.js';

/**
 * Parses, type-checks and compiles a criterion's formula against the org schema.
 * Raises CriteriaError with the criterion name, line and column of the first
 * problem. The result evaluates the formula on a record of `rootObject` with its
 * lookups and child relationships, returning the value and every value read.
 */
export function compileFormula(
  formula: string,
  options: CompileOptions,
): CompiledFormula {
  const { criterionName, schema, rootObject } = options;
  const object = schema[rootObject];
  if (!object) {
    throw new CriteriaError(
      criterionName,
      { line: 1, column: 1 },
      `the root object ${rootObject} is not in the org schema`,
      { expected: 'an object of the org schema', found: rootObject },
    );
  }
  const tree = parseFormula(formula, criterionName);
  const state = new CompileState(schema, criterionName, formula);
  const compiled = compileNode(tree, { object, state });
  if (compiled.type !== 'boolean') {
    const found = describeType(compiled.type);
    throw new CriteriaError(
      criterionName,
      tree.position,
      `the formula returns ${found}, but a criterion must return TRUE or FALSE; compare the value, such as ... >= 1`,
      { expected: 'a boolean', found },
    );
  }
  const root = compiled.evaluate;
  const childFieldPaths = Object.freeze(
    Object.fromEntries(
      [...state.childPaths].map(([relationship, paths]) => [
        relationship,
        Object.freeze([...paths]),
      ]),
    ),
  );
  const context = new EvaluationContext();
  return {
    source: formula,
    fieldPaths: Object.freeze([...state.rootPaths]),
    childFieldPaths,
    evaluate(record: RecordData, env: EvaluationEnv): FormulaResult {
      context.begin(env);
      const value = root(record, context) as boolean | null;
      return { value, reads: context.collectReads() };
    },
  };
}
