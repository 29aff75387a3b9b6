import type { FieldValue, RecordData } from '../records.js';
import type { EvaluationContext, Evaluator } from './compiled-node.js';
import { RecordValueError } from './criteria-error.js';
import type { ResolvedField } from './field-resolver.js';
import type { FormulaType } from './formula-type.js';
import { convertValue, type RuntimeValue } from './runtime-values.js';
import type { Emitter, SourceWriter } from './source-writer.js';

/**
 * Field evaluators and emitters. The evaluators, the closure back end, call module
 * functions only, never other closures. With closures, calls between them were most
 * of an evaluation's time in the criteria benchmark, because every compiled formula
 * shares the closures' code and so their call sites.
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

/** Returns `new RecordValueError(...)`, for generated code to throw. */
function recordValueError(
  criterionName: string,
  path: string,
  value: unknown,
  expectedType: string,
): RecordValueError {
  return new RecordValueError(criterionName, path, value, expectedType);
}

/**
 * Returns an expression that converts the raw value `raw` as convertValue does.
 * The common cases are inline, and the rest call convertValue itself.
 */
function emitConversion(
  writer: SourceWriter,
  type: FormulaType,
  raw: string,
  path: string,
  criterionName: string,
): string {
  const convertArgs = [
    writer.constant(type),
    raw,
    writer.constant(path),
    writer.constant(criterionName),
  ];
  const convert = `${writer.constant(convertValue)}(${convertArgs.join(', ')})`;
  const missing = `${raw} === null || ${raw} === undefined`;
  switch (type) {
    case 'text':
    case 'picklist':
    case 'multipicklist':
      return `typeof ${raw} === 'string' ? ${raw} : ${missing} ? null : ${convert}`;
    case 'boolean':
      return `typeof ${raw} === 'boolean' ? ${raw} : ${missing} ? false : ${convert}`;
    case 'number': {
      const isFinite = writer.constant(Number.isFinite);
      return `typeof ${raw} === 'number' && ${isFinite}(${raw}) ? ${raw} : ${missing} ? null : ${convert}`;
    }
    default:
      return `${missing} ? null : ${convert}`;
  }
}

/**
 * Writes the read of the raw value at the end of a lookup path into a new `let`,
 * null when a lookup on the way is blank, and returns its name. Raises as
 * readThroughLookups does where a lookup's value is not a record.
 */
function emitLookupRead(
  writer: SourceWriter,
  record: string,
  relationships: readonly string[],
  fieldName: string,
  criterionName: string,
): string {
  const raw = writer.local('raw');
  writer.line(`let ${raw} = null;`);
  const isArray = writer.constant(Array.isArray);
  const error = writer.constant(recordValueError);
  const criterion = writer.constant(criterionName);
  const expected = writer.constant('a related record');
  const follow = (current: string, index: number): void => {
    const relationship = writer.constant(relationships[index]!);
    const parent = writer.local('parent');
    writer.line(`const ${parent} = ${current}[${relationship}];`);
    writer.block(`if (${parent} !== null && ${parent} !== undefined)`, () => {
      writer.block(
        `if (typeof ${parent} !== 'object' || ${isArray}(${parent}))`,
        () =>
          writer.line(
            `throw ${error}(${criterion}, ${relationship}, ${parent}, ${expected});`,
          ),
      );
      if (index + 1 < relationships.length) {
        follow(parent, index + 1);
      } else {
        writer.line(`${raw} = ${parent}[${writer.constant(fieldName)}];`);
      }
    });
  };
  follow(record, 0);
  return raw;
}

/**
 * Builds the emitter of a field read, which matches `fieldEvaluator`: it converts
 * the raw value and reports a root field's first read, a checkbox as converted.
 */
export function fieldEmitter(
  resolved: ResolvedField,
  slot: number | undefined,
  criterionName: string,
): Emitter {
  const { path, fieldName, relationships, type } = resolved;
  return (writer, record) => {
    let raw: string;
    if (relationships.length === 0) {
      raw = writer.local('raw');
      writer.line(`const ${raw} = ${record}[${writer.constant(fieldName)}];`);
    } else {
      raw = emitLookupRead(
        writer,
        record,
        relationships,
        fieldName,
        criterionName,
      );
    }
    const value = writer.value(
      emitConversion(writer, type, raw, path, criterionName),
      { boolean: type === 'boolean' },
    );
    if (slot !== undefined) {
      const evidence = type === 'boolean' ? value : `${raw} ?? null`;
      writer.recordRead(
        slot,
        `{ path: ${writer.constant(path)}, value: ${evidence} }`,
      );
    }
    return value;
  };
}
