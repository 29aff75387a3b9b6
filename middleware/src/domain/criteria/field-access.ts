import type { FieldValue, RecordData } from '../records.js';
import type { Evaluator } from './compiled-node.js';
import { RecordValueError } from './criteria-error.js';
import type { ResolvedField } from './field-resolver.js';
import { convertValue } from './runtime-values.js';

/**
 * Field evaluators. They call only module functions, never other closures, because
 * closure calls on the hot path are what the criteria benchmark spends most on.
 */

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
 * Evaluator of a field of a child record inside an aggregate; no read is reported,
 * since the aggregate summarises them.
 */
export function childFieldEvaluator(
  resolved: ResolvedField,
  criterionName: string,
): Evaluator {
  const { fieldName, relationships, type, path } = resolved;
  if (relationships.length > 0) {
    return (record) =>
      convertValue(
        type,
        readThroughLookups(record, relationships, fieldName, criterionName),
        path,
        criterionName,
      );
  }
  return (record) => convertValue(type, record[fieldName], path, criterionName);
}

/**
 * Evaluator of a field of the root record, reporting its first read in each
 * evaluation in `reads` (booleans as converted, since a blank checkbox is false).
 */
export function rootFieldEvaluator(
  resolved: ResolvedField,
  slot: number,
  criterionName: string,
): Evaluator {
  const { path, fieldName, relationships, type } = resolved;
  const direct = relationships.length === 0;
  const isBoolean = type === 'boolean';
  return (record, context) => {
    const raw = direct
      ? record[fieldName]
      : readThroughLookups(record, relationships, fieldName, criterionName);
    const value = convertValue(type, raw, path, criterionName);
    if (context.isFirstRead(slot)) {
      const shown = isBoolean ? value : (raw ?? null);
      context.recordRead({ path, value: shown as FieldValue });
    }
    return value;
  };
}
