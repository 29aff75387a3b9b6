import type { FieldValue, RecordData } from '../records.js';
import type { EvaluationContext, Evaluator } from './compiled-node.js';
import { RecordValueError } from './criteria-error.js';
import type { ResolvedField } from './field-resolver.js';
import type { FormulaType } from './formula-type.js';
import { convertValue, type RuntimeValue } from './runtime-values.js';

/**
 * Field evaluators. They call module functions only, never other closures: in the
 * criteria benchmark, closure calls are most of the time an evaluation takes, since
 * every compiled formula shares the closures' code and so their call sites.
 */

/**
 * A field read on the record in scope without a lookup. ISPICKVAL and ISBLANK read
 * such a field themselves with `readDirectField` instead of calling its evaluator.
 */
export interface DirectField {
  fieldName: string;
  path: string;
  type: FormulaType;
  criterionName: string;
  /** The read slot of a root field; unset for a child record's field. */
  slot: number | undefined;
}

/** Records a root field's first read; a checkbox shows as converted, since blank is false. */
function reportRead(
  context: EvaluationContext,
  slot: number,
  path: string,
  raw: unknown,
  value: RuntimeValue,
  type: FormulaType,
): void {
  if (context.isFirstRead(slot)) {
    const evidence = type === 'boolean' ? value : (raw ?? null);
    context.recordRead({ path, value: evidence as FieldValue });
  }
}

export function readDirectField(
  field: DirectField,
  record: RecordData,
  context: EvaluationContext,
): RuntimeValue {
  const raw = record[field.fieldName];
  const value = convertValue(field.type, raw, field.path, field.criterionName);
  if (field.slot !== undefined) {
    reportRead(context, field.slot, field.path, raw, value, field.type);
  }
  return value;
}

/** Reads the raw value at the end of a lookup path; a blank lookup on the way gives null. */
function readThroughLookups(
  record: RecordData,
  relationships: readonly string[],
  fieldName: string,
  criterionName: string,
): unknown {
  let current: RecordData = record;
  for (const relationship of relationships) {
    const parent = current[relationship];
    if (parent === null || parent === undefined) return null;
    if (typeof parent !== 'object' || Array.isArray(parent)) {
      throw new RecordValueError(
        criterionName,
        relationship,
        parent,
        'a related record',
      );
    }
    current = parent;
  }
  return current[fieldName];
}

/**
 * Builds the evaluator of a field, and its DirectField when it has no lookup. A root
 * field's first read in each evaluation is reported. A child record's fields are
 * not, because their aggregate summarises them.
 */
export function fieldEvaluator(
  resolved: ResolvedField,
  slot: number | undefined,
  criterionName: string,
): { evaluate: Evaluator; direct?: DirectField } {
  const { path, fieldName, relationships, type } = resolved;
  if (relationships.length === 0) {
    const direct = { fieldName, path, type, criterionName, slot };
    return {
      evaluate: (record, context) => readDirectField(direct, record, context),
      direct,
    };
  }
  return {
    evaluate: (record, context) => {
      const raw = readThroughLookups(
        record,
        relationships,
        fieldName,
        criterionName,
      );
      const value = convertValue(type, raw, path, criterionName);
      if (slot !== undefined) {
        reportRead(context, slot, path, raw, value, type);
      }
      return value;
    },
  };
}
