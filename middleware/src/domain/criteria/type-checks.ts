import type { FormulaNode } from './ast.js';
import type { CompiledNode, Scope } from './compiled-node.js';
import { CriteriaError } from './criteria-error.js';
import { describeType, type FormulaType } from './formula-type.js';

/** Returns the name a node is written with for hints: its field path, or "the value". */
function writtenName(node: FormulaNode): string {
  return node.kind === 'path'
    ? node.segments.map((segment) => segment.name).join('.')
    : 'the value';
}

/** Whether the type is a picklist or multi-select picklist, which few functions take. */
export function isPicklistType(type: FormulaType): boolean {
  return type === 'picklist' || type === 'multipicklist';
}

/**
 * Builds the error for a picklist used where only ISPICKVAL and TEXT may take it, or a
 * multi-select picklist where only ISBLANK and INCLUDES may.
 */
export function picklistMisuse(
  compiled: CompiledNode,
  use: string,
  scope: Scope,
): CriteriaError {
  const name = writtenName(compiled.node);
  if (compiled.type === 'multipicklist') {
    return new CriteriaError(
      scope.state.criterionName,
      compiled.node.position,
      `${name} is a multi-select picklist, which ${use} cannot take; test it with ISBLANK(${name}) or INCLUDES(${name}, "value")`,
      { expected: 'ISBLANK or INCLUDES', found: 'a multi-select picklist' },
    );
  }
  return new CriteriaError(
    scope.state.criterionName,
    compiled.node.position,
    `${name} is a picklist, which ${use} cannot take; test it with ISPICKVAL(${name}, "value") or convert it with TEXT(${name})`,
    { expected: 'ISPICKVAL or TEXT', found: 'a picklist' },
  );
}

/**
 * Raises a CriteriaError at the node unless its type is one of `allowed` or NULL.
 * `role` names the place in words, such as `argument 1 of NOT`.
 */
export function expectType(
  compiled: CompiledNode,
  allowed: readonly FormulaType[],
  role: string,
  scope: Scope,
  hint = '',
): void {
  if (compiled.type === 'null' || allowed.includes(compiled.type)) return;
  if (isPicklistType(compiled.type))
    throw picklistMisuse(compiled, role, scope);
  const expected = allowed.map(describeType).join(' or ');
  const found = describeType(compiled.type);
  throw new CriteriaError(
    scope.state.criterionName,
    compiled.node.position,
    `${role} must be ${expected} but is ${found}${hint}`,
    { expected, found },
  );
}

/**
 * The common type of two values that must agree, such as the branches of IF: NULL
 * takes the other's type.
 */
export function unifyTypes(
  first: CompiledNode,
  second: CompiledNode,
  role: string,
  scope: Scope,
): FormulaType {
  for (const compiled of [first, second]) {
    if (isPicklistType(compiled.type)) {
      throw picklistMisuse(compiled, role, scope);
    }
  }
  if (first.type === 'null') return second.type;
  if (second.type === 'null' || first.type === second.type) return first.type;
  const expected = describeType(first.type);
  const found = describeType(second.type);
  throw new CriteriaError(
    scope.state.criterionName,
    second.node.position,
    `${role} must have the same type, but the first is ${expected} and this one is ${found}`,
    { expected, found },
  );
}
