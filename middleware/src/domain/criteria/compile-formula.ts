import type { RecordData } from '../records.js';
import { compileNode } from './compile-expression.js';
import {
  CompileState,
  EvaluationContext,
  type CompiledNode,
} from './compiled-node.js';
import { CriteriaError } from './criteria-error.js';
import { describeType } from './formula-type.js';
import {
  buildGeneratedEvaluator,
  type FormulaEvaluator,
} from './generate-evaluator.js';
import { parseFormula } from './parser.js';
import type {
  CompiledFormula,
  CompileOptions,
  EvaluationEnv,
  FormulaResult,
} from './types.js';

/**
 * How a compiled formula evaluates: `generated` builds JavaScript source per formula
 * and falls back to `closures` where code generation from strings is disallowed.
 */
export type EvaluatorBackEnd = 'generated' | 'closures';

/**
 * Parses and type-checks a formula. Raises CriteriaError with the criterion name,
 * line and column of the first problem. Returns the compiled root node and the
 * paths and read slots collected.
 */
export function checkFormula(
  formula: string,
  options: CompileOptions,
): { root: CompiledNode; state: CompileState } {
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
  const state = new CompileState(schema, criterionName, formula, rootObject);
  const root = compileNode(tree, { object, state });
  if (root.type !== 'boolean') {
    const found = describeType(root.type);
    throw new CriteriaError(
      criterionName,
      tree.position,
      `the formula returns ${found}, but a criterion must return TRUE or FALSE; compare the value, such as ... >= 1`,
      { expected: 'a boolean', found },
    );
  }
  return { root, state };
}

/** Builds the evaluator of the closure back end, which reports reads through a context. */
function closureEvaluator(root: CompiledNode): FormulaEvaluator {
  const evaluateRoot = root.evaluate;
  const context = new EvaluationContext();
  return (record: RecordData, env: EvaluationEnv): FormulaResult => {
    context.begin(env);
    const value = evaluateRoot(record, context) as boolean | null;
    return { value, reads: context.collectReads() };
  };
}

/** Compiles a formula with the given back end; compileFormula uses `generated`. */
export function compileFormulaWith(
  formula: string,
  options: CompileOptions,
  backEnd: EvaluatorBackEnd,
): CompiledFormula {
  const { root, state } = checkFormula(formula, options);
  const evaluate =
    (backEnd === 'generated'
      ? buildGeneratedEvaluator(root, state)
      : undefined) ?? closureEvaluator(root);
  const childFieldPaths = Object.freeze(
    Object.fromEntries(
      [...state.childPaths].map(([relationship, paths]) => [
        relationship,
        Object.freeze([...paths]),
      ]),
    ),
  );
  const aggregateRootPaths = Object.freeze(
    Object.fromEntries(
      [...state.aggregateRootPaths].map(([text, paths]) => [
        text,
        Object.freeze([...paths]),
      ]),
    ),
  );
  return {
    source: formula,
    fieldPaths: Object.freeze([...state.rootPaths]),
    childFieldPaths,
    aggregateRootPaths,
    evaluate,
  };
}

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
  return compileFormulaWith(formula, options, 'generated');
}
