import type { RecordData } from '../records.js';
import type { CompiledNode, CompileState } from './compiled-node.js';
import { SourceWriter } from './source-writer.js';
import type { EvaluationEnv, FormulaResult } from './types.js';

/** Evaluates a compiled formula on a root record. */
export type FormulaEvaluator = (
  record: RecordData,
  env: EvaluationEnv,
) => FormulaResult;

/** Source of a generated evaluator: the body of a function of `constants`. */
export interface EvaluatorSource {
  body: string;
  constants: unknown[];
}

/**
 * Writes the source of a formula's evaluator from its type-checked root node. The
 * body returns `function evaluate(record, env)`, which returns the value and the
 * reads as the closure back end does. See source-writer.ts for why no text of the
 * formula or the schema appears in it.
 */
export function generateEvaluatorSource(
  root: CompiledNode,
  state: CompileState,
): EvaluatorSource {
  // A first writing finds whether every read is static. Emitters only write, so
  // the second writing of the same tree makes the same reads in the same order.
  const probe = new SourceWriter(state.slotUses);
  root.emit(probe, 'record');
  const writer = new SourceWriter(state.slotUses, probe.allReadsStatic);
  const result = root.emit(writer, 'record');
  return writer.finish(result);
}

/**
 * Builds a formula's evaluator from generated source, so each formula has code of
 * its own, and so its own inline caches and call targets in V8. The closure back
 * end shares one set of closures' code between all formulas, which makes their
 * property reads and calls megamorphic. Returns undefined where code generation
 * from strings is disallowed, as under `node --disallow-code-generation-from-strings`,
 * or where the source is too deeply nested for V8 to parse, so the caller can fall
 * back to the closures.
 */
export function buildGeneratedEvaluator(
  root: CompiledNode,
  state: CompileState,
): FormulaEvaluator | undefined {
  const { body, constants } = generateEvaluatorSource(root, state);
  let factory: (constants: unknown[]) => FormulaEvaluator;
  try {
    factory = new Function('constants', body) as typeof factory;
  } catch (error) {
    // A RangeError is V8's parser running out of stack on a deeply nested formula,
    // which the closures may still evaluate.
    if (error instanceof EvalError || error instanceof RangeError) {
      return undefined;
    }
    throw error;
  }
  return factory(constants);
}
