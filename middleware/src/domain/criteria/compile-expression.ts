import type { CallNode, FormulaNode, PathNode } from './ast.js';
import { AGGREGATE_FUNCTIONS } from './aggregates.js';
import type { CompiledNode, Evaluator, Scope } from './compiled-node.js';
import { CriteriaError } from './criteria-error.js';
import { fieldEmitter, fieldEvaluator } from './field-access.js';
import { resolveFieldPath, type ResolvedField } from './field-resolver.js';
import type { FunctionSpec } from './function-spec.js';
import { LOGICAL_FUNCTIONS } from './logical-functions.js';
import { compileBinary } from './operators.js';
import { PICKLIST_FUNCTIONS } from './picklist-functions.js';
import { negate, parseExact, type ExactNumber } from './exact-number.js';
import type { FormulaType } from './formula-type.js';
import type { RuntimeValue } from './runtime-values.js';
import type { Emitter } from './source-writer.js';
import { expectType } from './type-checks.js';
import { VALUE_FUNCTIONS } from './value-functions.js';

const FUNCTIONS: Record<string, FunctionSpec> = {
  ...LOGICAL_FUNCTIONS,
  ...PICKLIST_FUNCTIONS,
  ...VALUE_FUNCTIONS,
  ...AGGREGATE_FUNCTIONS,
};

/** Names of the functions the language has, for error messages. */
export const FUNCTION_NAMES = Object.keys(FUNCTIONS).sort();

/**
 * Adds to `paths` the rest of a child path from each object on it that is of the
 * root object's type. `Opportunity__r.Account.Name` read on a child of an
 * Opportunity adds `Account.Name`.
 */
function addRootPaths(
  resolved: ResolvedField,
  rootObject: string,
  paths: Set<string>,
): void {
  const { objectNames, relationships, fieldName } = resolved;
  for (let index = 0; index < objectNames.length; index += 1) {
    if (objectNames[index] !== rootObject) continue;
    paths.add([...relationships.slice(index), fieldName].join('.'));
  }
}

function compilePath(node: PathNode, scope: Scope): CompiledNode {
  const { state } = scope;
  const resolved = resolveFieldPath(
    node,
    scope.object,
    state.schema,
    state.criterionName,
    FUNCTION_NAMES,
  );
  const field = { objectName: scope.object.name, schema: resolved.field };
  let slot: number | undefined;
  if (scope.aggregate) {
    state.childPaths.get(scope.aggregate.relationship)!.add(resolved.path);
    addRootPaths(resolved, state.rootObject, scope.aggregate.rootPaths);
  } else {
    state.rootPaths.add(resolved.path);
    slot = state.slotOf(resolved.path);
  }
  const { evaluate, direct } = fieldEvaluator(
    resolved,
    slot,
    state.criterionName,
  );
  const emit = fieldEmitter(resolved, slot, state.criterionName);
  return {
    type: resolved.type,
    evaluate,
    emit,
    node,
    field,
    directField: direct,
  };
}

function compileCall(node: CallNode, scope: Scope): CompiledNode {
  const { criterionName } = scope.state;
  const spec = FUNCTIONS[node.name];
  if (!spec) {
    throw new CriteriaError(
      criterionName,
      node.position,
      `unknown function ${node.name}; criteria support ${FUNCTION_NAMES.join(', ')}`,
      { expected: 'a supported function', found: node.name },
    );
  }
  const count = node.args.length;
  if (count < spec.minArgs || count > spec.maxArgs) {
    const expected =
      spec.maxArgs === Infinity
        ? `at least ${spec.minArgs} argument${spec.minArgs === 1 ? '' : 's'}`
        : spec.minArgs === spec.maxArgs
          ? `${spec.minArgs} argument${spec.minArgs === 1 ? '' : 's'}`
          : `${spec.minArgs} to ${spec.maxArgs} arguments`;
    throw new CriteriaError(
      criterionName,
      node.position,
      `${node.name} takes ${expected} but was given ${count}; write ${spec.usage}`,
      { expected, found: String(count) },
    );
  }
  return spec.compile(node, scope, compileNode);
}

function literal(
  type: FormulaType,
  value: RuntimeValue,
  node: FormulaNode,
): CompiledNode {
  const emit: Emitter =
    typeof value === 'boolean' || value === null
      ? () => String(value)
      : (writer) => writer.constant(value);
  return { type, evaluate: () => value, emit, node, constant: { value } };
}

/** Type-checks a syntax tree node and compiles it into a closure. */
export function compileNode(node: FormulaNode, scope: Scope): CompiledNode {
  switch (node.kind) {
    case 'number':
      return literal('number', parseExact(node.text), node);
    case 'text':
      return literal('text', node.value, node);
    case 'boolean':
      return literal('boolean', node.value, node);
    case 'null':
      return literal('null', null, node);
    case 'path':
      return compilePath(node, scope);
    case 'call':
      return compileCall(node, scope);
    case 'binary':
      return compileBinary(node, scope, compileNode);
    case 'unary': {
      const operand = compileNode(node.operand, scope);
      const inner = operand.evaluate;
      if (node.operator === '!') {
        expectType(operand, ['boolean'], 'the operand of "!"', scope);
        const evaluate: Evaluator = (record, context) =>
          inner(record, context) !== true;
        const emit: Emitter = (writer, record) =>
          writer.value(`!(${writer.isTrue(operand.emit(writer, record))})`, {
            boolean: true,
          });
        return { type: 'boolean', evaluate, emit, node };
      }
      expectType(
        operand,
        ['number'],
        `the operand of "${node.operator}"`,
        scope,
      );
      if (node.operator === '+') {
        return { type: 'number', evaluate: inner, emit: operand.emit, node };
      }
      const evaluate: Evaluator = (record, context) => {
        const value = inner(record, context) as ExactNumber | null;
        return value === null ? null : negate(value);
      };
      const emit: Emitter = (writer, record) => {
        const value = operand.emit(writer, record);
        return writer.value(
          `${value} === null ? null : ${writer.constant(negate)}(${value})`,
        );
      };
      return { type: 'number', evaluate, emit, node };
    }
  }
}
