import type { RecordData } from '../records.js';
import type { CallNode } from './ast.js';
import type {
  CompiledNode,
  CompileNode,
  EvaluationContext,
  Evaluator,
  Scope,
} from './compiled-node.js';
import { CriteriaError, RecordValueError } from './criteria-error.js';
import { resolveChildRelationship } from './field-resolver.js';
import { argumentRole, type FunctionSpec } from './function-spec.js';
import { add, toNumber, type ExactNumber } from './exact-number.js';
import type { Emitter, SourceWriter } from './source-writer.js';
import { expectType } from './type-checks.js';

type AggregateName = 'COUNT' | 'SUM' | 'ALL' | 'ANY';

/** Resolves an aggregate's child relationship and opens the scope of its arguments. */
function openChildScope(
  call: CallNode,
  scope: Scope,
): { childScope: Scope; relationship: string; rootPaths: Set<string> } {
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
  const rootPaths = new Set<string>();
  return {
    childScope: {
      object: childObject,
      state,
      aggregate: { functionName: call.name, relationship: name, rootPaths },
    },
    relationship: name,
    rootPaths,
  };
}

/**
 * Returns the child records of `relationship`. SOQL gives null for none, and a
 * missing key raises, because it means the relationship was not queried.
 */
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

/** Path, slot and relationship of an aggregate's read. */
interface AggregateSite {
  relationship: string;
  /** The aggregate as written, the path of its read. */
  expression: string;
  slot: number;
  criterionName: string;
}

function reportAggregate(
  context: EvaluationContext,
  site: AggregateSite,
  value: ExactNumber | boolean,
  recordCount: number,
  matchedCount: number,
): void {
  if (!context.isFirstRead(site.slot)) return;
  context.recordRead({
    path: site.expression,
    value: typeof value === 'boolean' ? value : toNumber(value),
    relationship: site.relationship,
    recordCount,
    matchedCount,
  });
}

/** Counts the children the condition is true for; a blank condition does not match. */
function countMatches(
  children: RecordData[],
  condition: Evaluator | undefined,
  context: EvaluationContext,
): number {
  if (!condition) return children.length;
  let matched = 0;
  for (const child of children) {
    if (condition(child, context) === true) matched++;
  }
  return matched;
}

/** COUNT, ALL and ANY, each its own closure so each does only its own work. */
function matchEvaluator(
  name: AggregateName,
  site: AggregateSite,
  condition: Evaluator | undefined,
): Evaluator {
  const { relationship, criterionName } = site;
  if (name === 'COUNT') {
    return (record, context) => {
      const children = childRecordsOf(record, relationship, criterionName);
      const matched = countMatches(children, condition, context);
      reportAggregate(context, site, matched, children.length, matched);
      return matched;
    };
  }
  if (name === 'ALL') {
    return (record, context) => {
      const children = childRecordsOf(record, relationship, criterionName);
      const matched = countMatches(children, condition, context);
      const all = matched === children.length;
      reportAggregate(context, site, all, children.length, matched);
      return all;
    };
  }
  return (record, context) => {
    const children = childRecordsOf(record, relationship, criterionName);
    const matched = countMatches(children, condition, context);
    reportAggregate(context, site, matched > 0, children.length, matched);
    return matched > 0;
  };
}

/** SUM: adds the non-blank amounts of the children the condition is true for. */
function sumEvaluator(
  site: AggregateSite,
  amount: Evaluator,
  condition: Evaluator | undefined,
): Evaluator {
  const { relationship, criterionName } = site;
  return (record, context) => {
    const children = childRecordsOf(record, relationship, criterionName);
    let matched = 0;
    let total: ExactNumber = 0;
    for (const child of children) {
      if (condition && condition(child, context) !== true) continue;
      matched++;
      const value = amount(child, context) as ExactNumber | null;
      if (value !== null) total = add(total, value);
    }
    reportAggregate(context, site, total, children.length, matched);
    return total;
  };
}

/**
 * Writes the code that reads an aggregate's child records into a new local and
 * returns its name. Anything but an array goes to childRecordsOf, which returns
 * [] for null and raises for the rest.
 */
function emitChildRecords(
  writer: SourceWriter,
  record: string,
  site: AggregateSite,
): string {
  const relationship = writer.constant(site.relationship);
  const list = writer.local('list');
  writer.line(`let ${list} = ${record}[${relationship}];`);
  const isArray = writer.constant(Array.isArray);
  writer.block(`if (!${isArray}(${list}))`, () => {
    const read = writer.constant(childRecordsOf);
    const criterion = writer.constant(site.criterionName);
    writer.line(`${list} = ${read}(${record}, ${relationship}, ${criterion});`);
  });
  return list;
}

/**
 * Writes the loop over the child records and returns the name of the count of
 * those the condition is true for. `eachMatch` writes code for each such record.
 */
function emitMatchLoop(
  writer: SourceWriter,
  list: string,
  condition: CompiledNode | undefined,
  eachMatch: (child: string) => void = () => {},
): string {
  const matched = writer.local('matched');
  writer.line(`let ${matched} = 0;`);
  const index = writer.local('i');
  writer.block(
    `for (let ${index} = 0; ${index} < ${list}.length; ${index}++)`,
    () => {
      const child = writer.local('child');
      writer.line(`const ${child} = ${list}[${index}];`);
      if (condition) {
        const test = writer.isTrue(condition.emit(writer, child));
        writer.line(`if (!(${test})) continue;`);
      }
      writer.line(`${matched}++;`);
      eachMatch(child);
    },
  );
  return matched;
}

/** Writes the report of an aggregate's read, as reportAggregate makes it. */
function emitAggregateRead(
  writer: SourceWriter,
  site: AggregateSite,
  value: string,
  list: string,
  matched: string,
): void {
  const path = writer.constant(site.expression);
  const relationship = writer.constant(site.relationship);
  writer.recordRead(
    site.slot,
    `{ path: ${path}, value: ${value}, relationship: ${relationship}, recordCount: ${list}.length, matchedCount: ${matched} }`,
  );
}

/** Builds the emitter of an aggregate, which matches matchEvaluator and sumEvaluator. */
function aggregateEmitter(
  name: AggregateName,
  site: AggregateSite,
  amount: CompiledNode | undefined,
  condition: CompiledNode | undefined,
): Emitter {
  return (writer, record) => {
    const list = emitChildRecords(writer, record, site);
    if (name === 'SUM') {
      const total = writer.local('total');
      writer.line(`let ${total} = 0;`);
      const addName = writer.constant(add);
      const matched = emitMatchLoop(writer, list, condition, (child) => {
        const value = amount!.emit(writer, child);
        writer.line(
          `if (${value} !== null) ${total} = ${addName}(${total}, ${value});`,
        );
      });
      const evidence = `${writer.constant(toNumber)}(${total})`;
      emitAggregateRead(writer, site, evidence, list, matched);
      return total;
    }
    const matched = condition
      ? emitMatchLoop(writer, list, condition)
      : writer.value(`${list}.length`);
    let result = matched;
    if (name === 'ALL') {
      result = writer.value(`${matched} === ${list}.length`, { boolean: true });
    } else if (name === 'ANY') {
      result = writer.value(`${matched} > 0`, { boolean: true });
    }
    emitAggregateRead(writer, site, result, list, matched);
    return result;
  };
}

function compileCondition(
  call: CallNode,
  index: number,
  childScope: Scope,
  compileNode: CompileNode,
): CompiledNode | undefined {
  const node = call.args[index];
  if (!node) return undefined;
  const condition = compileNode(node, childScope);
  expectType(condition, ['boolean'], argumentRole(call, index), childScope);
  return condition;
}

/**
 * Builds an aggregate, which evaluates its expressions on each child record and
 * reports one read with the counts instead of a read per child field.
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
      const { childScope, relationship, rootPaths } = openChildScope(
        call,
        scope,
      );
      let amount: CompiledNode | undefined;
      if (name === 'SUM') {
        amount = compileNode(call.args[1]!, childScope);
        expectType(amount, ['number'], argumentRole(call, 1), childScope);
      }
      const conditionIndex = name === 'SUM' ? 2 : 1;
      const condition = compileCondition(
        call,
        conditionIndex,
        childScope,
        compileNode,
      );
      const site: AggregateSite = {
        relationship,
        expression: scope.state.aggregateText(call),
        slot: 0,
        criterionName: scope.state.criterionName,
      };
      site.slot = scope.state.slotOf(site.expression);
      const known = scope.state.aggregateRootPaths.get(site.expression);
      scope.state.aggregateRootPaths.set(
        site.expression,
        new Set([...(known ?? []), ...rootPaths]),
      );
      const evaluate = amount
        ? sumEvaluator(site, amount.evaluate, condition?.evaluate)
        : matchEvaluator(name, site, condition?.evaluate);
      return {
        type: name === 'COUNT' || name === 'SUM' ? 'number' : 'boolean',
        evaluate,
        emit: aggregateEmitter(name, site, amount, condition),
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
