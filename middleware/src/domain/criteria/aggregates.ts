import type { RecordData } from '../records.js';
import type { CallNode } from './ast.js';
import type {
  CompiledNode,
  CompileNode,
  Evaluator,
  Scope,
} from './compiled-node.js';
import { CriteriaError, RecordValueError } from './criteria-error.js';
import { resolveChildRelationship } from './field-resolver.js';
import { argumentRole, type FunctionSpec } from './function-spec.js';
import { add, toNumber, type ExactNumber } from './exact-number.js';
import { expectType } from './type-checks.js';
import type { FieldRead } from './types.js';

type AggregateName = 'COUNT' | 'SUM' | 'ALL' | 'ANY';

/** The child scope of an aggregate: its relationship resolved and registered. */
function openChildScope(
  call: CallNode,
  scope: Scope,
): { childScope: Scope; relationship: string } {
  const { state } = scope;
  if (scope.aggregate) {
    throw new CriteriaError(
      state.criterionName,
      call.position,
      `${call.name} is inside ${scope.aggregate.functionName} over ${scope.aggregate.relationship}; aggregates cannot be nested`,
      { expected: 'a field of the child record', found: call.name },
    );
  }
  const target = call.args[0]!;
  if (target.kind !== 'path' || target.segments.length !== 1) {
    const examples = Object.keys(scope.object.childRelationships).slice(0, 2);
    throw new CriteriaError(
      state.criterionName,
      target.position,
      `argument 1 of ${call.name} must name a child relationship of ${scope.object.name}` +
        (examples.length > 0 ? `, such as ${examples.join(' or ')}` : ''),
      { expected: `a child relationship of ${scope.object.name}` },
    );
  }
  const { relationship, childObject } = resolveChildRelationship(
    target.segments[0]!,
    scope.object,
    state.schema,
    state.criterionName,
    call.name,
  );
  const name = relationship.relationshipName;
  if (!state.childPaths.has(name)) state.childPaths.set(name, new Set());
  return {
    childScope: {
      object: childObject,
      state,
      aggregate: { functionName: call.name, relationship: name },
    },
    relationship: name,
  };
}

/** The child records of `relationship`; SOQL gives null for none, a missing key is an error. */
function childRecordsOf(
  record: RecordData,
  relationship: string,
  criterionName: string,
): RecordData[] {
  const children = record[relationship];
  if (Array.isArray(children)) return children;
  if (children === null) return [];
  throw new RecordValueError(
    criterionName,
    relationship,
    children,
    'a list of child records; read the record with the relationships in childFieldPaths',
  );
}

function compileCondition(
  call: CallNode,
  index: number,
  childScope: Scope,
  compileNode: CompileNode,
): Evaluator | undefined {
  const node = call.args[index];
  if (!node) return undefined;
  const condition = compileNode(node, childScope);
  expectType(condition, ['boolean'], argumentRole(call, index), childScope);
  return condition.evaluate;
}

/**
 * Builds an aggregate: loops over the child records, counts those whose condition
 * is true (a blank condition does not match), and reports one read with the counts.
 */
function aggregate(name: AggregateName): FunctionSpec {
  const shapes: Record<AggregateName, [number, number, string]> = {
    COUNT: [1, 2, 'COUNT(child relationship, condition)'],
    SUM: [2, 3, 'SUM(child relationship, number, condition)'],
    ALL: [2, 2, 'ALL(child relationship, condition)'],
    ANY: [2, 2, 'ANY(child relationship, condition)'],
  };
  const [minArgs, maxArgs, usage] = shapes[name];
  return {
    minArgs,
    maxArgs,
    usage,
    compile(call, scope, compileNode): CompiledNode {
      const { childScope, relationship } = openChildScope(call, scope);
      let amount: Evaluator | undefined;
      if (name === 'SUM') {
        const summed = compileNode(call.args[1]!, childScope);
        expectType(summed, ['number'], argumentRole(call, 1), childScope);
        amount = summed.evaluate;
      }
      const conditionIndex = name === 'SUM' ? 2 : 1;
      const condition = compileCondition(
        call,
        conditionIndex,
        childScope,
        compileNode,
      );
      const { criterionName } = scope.state;
      const expression = scope.state.textOf(call);
      const slot = scope.state.slotOf(expression);
      const evaluate: Evaluator = (record, context) => {
        const children = childRecordsOf(record, relationship, criterionName);
        let matched = 0;
        let total: ExactNumber = 0;
        for (const child of children) {
          if (condition && condition(child, context) !== true) continue;
          matched++;
          if (amount) {
            const value = amount(child, context) as ExactNumber | null;
            if (value !== null) total = add(total, value);
          }
        }
        const result =
          name === 'COUNT'
            ? matched
            : name === 'SUM'
              ? total
              : name === 'ALL'
                ? matched === children.length
                : matched > 0;
        if (context.isFirstRead(slot)) {
          const read: FieldRead = {
            path: expression,
            value: typeof result === 'boolean' ? result : toNumber(result),
            relationship,
            recordCount: children.length,
            matchedCount: matched,
          };
          context.recordRead(read);
        }
        return result;
      };
      return {
        type: name === 'COUNT' || name === 'SUM' ? 'number' : 'boolean',
        evaluate,
        node: call,
      };
    },
  };
}

export const AGGREGATE_FUNCTIONS: Record<string, FunctionSpec> = {
  COUNT: aggregate('COUNT'),
  SUM: aggregate('SUM'),
  ALL: aggregate('ALL'),
  ANY: aggregate('ANY'),
};
