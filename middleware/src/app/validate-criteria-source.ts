import {
  ModelLoadError,
  inactiveCriterionProblems,
  loadStageModels,
  type ModelProblem,
} from '../domain/stage-model.js';
import {
  ForceAppError,
  readForceAppSchema,
  readModelSource,
} from '../org/force-app/index.js';

export interface CriteriaSourceError {
  file: string | null;
  record: string | null;
  /** Position of a formula error in the file; null when it is not known. */
  line: number | null;
  column: number | null;
  /** Position of a formula error in the formula, which the message also gives. */
  formulaLine: number | null;
  formulaColumn: number | null;
  message: string;
}

export interface CriteriaSourceReport {
  sourceDir: string;
  valid: boolean;
  models: number;
  stages: number;
  criteria: number;
  errors: CriteriaSourceError[];
}

/**
 * Parses and type-checks every model, stage and criterion in a `force-app` source
 * folder against the objects in the same folder, offline. Inactive criteria are
 * checked too, although the middleware skips them. Every problem is listed
 * with its file, record and, for formulas, the line and column in the file and in
 * the formula.
 */
export async function validateCriteriaSource(
  sourceDir: string,
): Promise<CriteriaSourceReport> {
  const report: CriteriaSourceReport = {
    sourceDir,
    valid: false,
    models: 0,
    stages: 0,
    criteria: 0,
    errors: [],
  };
  let schema;
  let source;
  try {
    schema = await readForceAppSchema(sourceDir);
    source = await readModelSource(sourceDir, schema);
  } catch (error) {
    if (!(error instanceof ForceAppError)) throw error;
    report.errors = error.problems.map((p) => ({
      file: p.file,
      record: null,
      line: null,
      column: null,
      formulaLine: null,
      formulaColumn: null,
      message: p.message,
    }));
    return report;
  }
  report.models = source.models.length;
  report.stages = source.stages.length;
  report.criteria = source.criteria.filter((c) => c.active).length;
  let problems: ModelProblem[] = [];
  try {
    loadStageModels(source, schema);
  } catch (error) {
    if (!(error instanceof ModelLoadError)) throw error;
    problems = error.problems;
  }
  problems.push(...inactiveCriterionProblems(source, schema));
  report.errors = problems.map(toSourceError);
  report.valid = problems.length === 0;
  return report;
}

function toSourceError(problem: ModelProblem): CriteriaSourceError {
  return {
    file: problem.origin ?? null,
    record: problem.record,
    line: problem.filePosition?.line ?? null,
    column: problem.filePosition?.column ?? null,
    formulaLine: problem.line ?? null,
    formulaColumn: problem.column ?? null,
    message: problem.message,
  };
}
