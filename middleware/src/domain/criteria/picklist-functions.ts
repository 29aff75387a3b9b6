import type { CallNode, FormulaNode } from './ast.js';
import type { CompiledNode, Evaluator, Scope } from './compiled-node.js';
import { CriteriaError } from './criteria-error.js';
import { describeType } from './formula-type.js';
import type { FunctionSpec } from './function-spec.js';
import { readDirectField } from './field-access.js';
import type { Emitter } from './source-writer.js';

/** Checks ISPICKVAL's value against a restricted picklist, so a typo fails at load. */
function checkPicklistValue(
  field: CompiledNode,
  valueNode: FormulaNode,
  value: string,
  scope: Scope,
): void {
  const schema = field.field?.schema;
  const values = schema?.picklistValues;
  if (!schema?.restrictedPicklist || !values || value === '') return;
  if (values.includes(value)) return;
  const listed = values.map((v) => `"${v}"`).join(', ');
  throw new CriteriaError(
    scope.state.criterionName,
    valueNode.position,
    `"${value}" is not a value of the restricted picklist ${field.field!.objectName}.${schema.name}; its values are ${listed}`,
    { expected: `one of ${listed}`, found: `"${value}"` },
  );
}

/**
 * ISPICKVAL's test, case-sensitive as in Salesforce; "" tests for a blank picklist.
 * A field without a lookup is read directly instead of through `evaluate`.
 */
function picklistTest(field: CompiledNode, expected: string): Evaluator {
  const direct = field.directField;
  if (direct && expected !== '') {
    return (record, context) =>
      readDirectField(direct, record, context) === expected;
  }
  const inner = field.evaluate;
  if (expected === '') {
    return (record, context) => {
      const value = inner(record, context);
      return value === null || value === '';
    };
  }
  return (record, context) => inner(record, context) === expected;
}

/** Builds the emitter of ISPICKVAL's test, which matches `picklistTest`. */
function emitPicklistTest(field: CompiledNode, expected: string): Emitter {
  return (writer, record) => {
    const value = field.emit(writer, record);
    const constant = writer.constant(expected);
    const test =
      expected === ''
        ? `${value} === null || ${value} === ${constant}`
        : `${value} === ${constant}`;
    return writer.value(test, { boolean: true });
  };
}

/** Returns whether a `;`-separated multi-select picklist value contains `expected`. */
function selectionIncludes(value: string, expected: string): boolean {
  return value.split(';').includes(expected);
}

/** INCLUDES' test: whether the `;`-separated selection contains the value. */
function includesTest(field: CompiledNode, expected: string): Evaluator {
  const inner = field.evaluate;
  return (record, context) => {
    const value = inner(record, context);
    return typeof value === 'string' && selectionIncludes(value, expected);
  };
}

/** Builds the emitter of INCLUDES' test, which matches `includesTest`. */
function emitIncludesTest(field: CompiledNode, expected: string): Emitter {
  return (writer, record) => {
    const value = field.emit(writer, record);
    const includes = writer.constant(selectionIncludes);
    return writer.value(
      `typeof ${value} === 'string' && ${includes}(${value}, ${writer.constant(expected)})`,
      { boolean: true },
    );
  };
}

export const PICKLIST_FUNCTIONS: Record<string, FunctionSpec> = {
  INCLUDES: {
    minArgs: 2,
    maxArgs: 2,
    usage: 'INCLUDES(multi-select picklist field, "value")',
    compile(call: CallNode, scope, compileNode) {
      const [fieldNode, valueNode] = call.args as [FormulaNode, FormulaNode];
      const field = compileNode(fieldNode, scope);
      if (field.type !== 'multipicklist') {
        const found = describeType(field.type);
        throw new CriteriaError(
          scope.state.criterionName,
          fieldNode.position,
          `argument 1 of INCLUDES must be a multi-select picklist field but is ${found}`,
          { expected: 'a multi-select picklist field', found },
        );
      }
      if (valueNode.kind !== 'text') {
        throw new CriteriaError(
          scope.state.criterionName,
          valueNode.position,
          'argument 2 of INCLUDES must be a value in quotes, such as "SaaS or PaaS"',
          { expected: 'text in quotes', found: valueNode.kind },
        );
      }
      checkPicklistValue(field, valueNode, valueNode.value, scope);
      return {
        type: 'boolean',
        evaluate: includesTest(field, valueNode.value),
        emit: emitIncludesTest(field, valueNode.value),
        node: call,
      };
    },
  },
  ISPICKVAL: {
    minArgs: 2,
    maxArgs: 2,
    usage: 'ISPICKVAL(picklist field, "value")',
    compile(call: CallNode, scope, compileNode) {
      const [fieldNode, valueNode] = call.args as [FormulaNode, FormulaNode];
      const field = compileNode(fieldNode, scope);
      if (field.type !== 'picklist') {
        const found = describeType(field.type);
        throw new CriteriaError(
          scope.state.criterionName,
          fieldNode.position,
          `argument 1 of ISPICKVAL must be a picklist field but is ${found}` +
            (field.type === 'text' ? '; compare text with "="' : ''),
          { expected: 'a picklist field', found },
        );
      }
      if (valueNode.kind !== 'text') {
        throw new CriteriaError(
          scope.state.criterionName,
          valueNode.position,
          'argument 2 of ISPICKVAL must be a value in quotes, such as "Approved"',
          { expected: 'text in quotes', found: valueNode.kind },
        );
      }
      checkPicklistValue(field, valueNode, valueNode.value, scope);
      return {
        type: 'boolean',
        evaluate: picklistTest(field, valueNode.value),
        emit: emitPicklistTest(field, valueNode.value),
        node: call,
      };
    },
  },
};
