export { compileFormula } from './compile-formula.js';
export { CriteriaError, RecordValueError } from './criteria-error.js';
export { FUNCTION_NAMES } from './compile-expression.js';
export type {
  CompiledFormula,
  CompileOptions,
  EvaluationEnv,
  FieldRead,
  FormulaResult,
} from './types.js';
