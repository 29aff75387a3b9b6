import type {
  ChildRelationshipSchema,
  FieldSchema,
  ObjectSchema,
  OrgSchema,
} from '../schema.js';
import type { PathNode, PathSegment } from './ast.js';
import { didYouMean } from './closest-name.js';
import { CriteriaError } from './criteria-error.js';
import { formulaTypeOf, type FormulaType } from './formula-type.js';

/** A field path resolved against the schema, with API names in their schema spelling. */
export interface ResolvedField {
  /** Such as `Owner__r.AccountId`. */
  path: string;
  /** Lookup relationships to follow, such as `['Owner__r']`. */
  relationships: string[];
  /**
   * API names of the objects the path reads on, one more than `relationships`:
   * the start object, then each lookup's target, such as `['Opportunity', 'User']`.
   */
  objectNames: string[];
  /** API name of the field read on the last object, such as `AccountId`. */
  fieldName: string;
  field: FieldSchema;
  type: FormulaType;
}

/** Case-insensitive indexes of one object, because Salesforce API names ignore case. */
interface ObjectIndex {
  fields: Map<string, FieldSchema>;
  lookups: Map<string, FieldSchema>;
  children: Map<string, ChildRelationshipSchema>;
}

const indexes = new WeakMap<ObjectSchema, ObjectIndex>();

function indexOf(object: ObjectSchema): ObjectIndex {
  let index = indexes.get(object);
  if (index) return index;
  index = { fields: new Map(), lookups: new Map(), children: new Map() };
  for (const field of Object.values(object.fields)) {
    index.fields.set(field.name.toLowerCase(), field);
    if (field.relationshipName) {
      index.lookups.set(field.relationshipName.toLowerCase(), field);
    }
  }
  for (const child of Object.values(object.childRelationships)) {
    index.children.set(child.relationshipName.toLowerCase(), child);
  }
  indexes.set(object, index);
  return index;
}

function fail(
  criterionName: string,
  segment: PathSegment,
  detail: string,
  expected: string,
): never {
  throw new CriteriaError(criterionName, segment.position, detail, {
    expected,
    found: segment.name,
  });
}

/** Returns the object a lookup points to. Raises for a polymorphic or unknown target. */
function followLookup(
  lookup: FieldSchema,
  segment: PathSegment,
  schema: OrgSchema,
  criterionName: string,
): ObjectSchema {
  const targets = lookup.referenceTo ?? [];
  if (targets.length !== 1) {
    fail(
      criterionName,
      segment,
      `${lookup.relationshipName} points to ${targets.length === 0 ? 'no object' : `more than one object (${targets.join(', ')})`}, so criteria cannot follow it`,
      'a lookup to one object',
    );
  }
  const target = schema[targets[0] ?? ''];
  if (!target) {
    fail(
      criterionName,
      segment,
      `${lookup.relationshipName} points to ${targets[0]}, which is not in the org schema`,
      'a lookup to an object in the schema',
    );
  }
  return target;
}

/** Raises the error for a child relationship named where a field or lookup belongs. */
function rejectChildRelationship(
  object: ObjectSchema,
  segment: PathSegment,
  criterionName: string,
  expected: string,
): void {
  const child = indexOf(object).children.get(segment.name.toLowerCase());
  if (!child) return;
  fail(
    criterionName,
    segment,
    `${child.relationshipName} is a child relationship of ${object.name}; read it with COUNT, SUM, ALL or ANY`,
    expected,
  );
}

/**
 * Builds the hint to call `name` as a function, such as "; TODAY is a function,
 * so write TODAY() to call it", or returns null when `functionNames` lacks it.
 */
function callHint(
  name: string,
  functionNames: readonly string[],
): string | null {
  const functionName = name.toUpperCase();
  if (!functionNames.includes(functionName)) return null;
  return `; ${functionName} is a function, so write ${functionName}() to call it`;
}

/**
 * Explains why a name followed by a dot is not a lookup relationship. A name in
 * `functionNames` gets the hint to call the function.
 */
function notALookup(
  object: ObjectSchema,
  segment: PathSegment,
  criterionName: string,
  functionNames: readonly string[],
): never {
  const index = indexOf(object);
  const key = segment.name.toLowerCase();
  const field = index.fields.get(key);
  if (field?.relationshipName) {
    fail(
      criterionName,
      segment,
      `${field.name} is a field, not a relationship; write ${field.relationshipName} to read through the lookup`,
      `a lookup relationship of ${object.name}`,
    );
  }
  if (field) {
    fail(
      criterionName,
      segment,
      `${field.name} is a field of ${object.name}, not a relationship, so no field can follow it; read ${field.name} without the dot`,
      `a lookup relationship of ${object.name}`,
    );
  }
  rejectChildRelationship(
    object,
    segment,
    criterionName,
    `a lookup relationship of ${object.name}`,
  );
  const names = [...index.lookups.values()].map((f) => f.relationshipName!);
  const hint =
    callHint(segment.name, functionNames) ?? didYouMean(segment.name, names);
  fail(
    criterionName,
    segment,
    `unknown relationship ${segment.name} on ${object.name}${hint}`,
    `a lookup relationship of ${object.name}`,
  );
}

/**
 * Explains why the last name of a path is not a readable field. A name in
 * `functionNames` gets the hint to call the function.
 */
function notAField(
  object: ObjectSchema,
  segment: PathSegment,
  criterionName: string,
  functionNames: readonly string[],
): never {
  const index = indexOf(object);
  const key = segment.name.toLowerCase();
  const lookup = index.lookups.get(key);
  if (lookup) {
    fail(
      criterionName,
      segment,
      `${lookup.relationshipName} is a relationship; name one of its fields, such as ${lookup.relationshipName}.Id, or read the lookup field ${lookup.name}`,
      `a field of ${object.name}`,
    );
  }
  rejectChildRelationship(
    object,
    segment,
    criterionName,
    `a field of ${object.name}`,
  );
  const hint =
    callHint(segment.name, functionNames) ??
    didYouMean(segment.name, Object.keys(object.fields));
  fail(
    criterionName,
    segment,
    `unknown field ${segment.name} on ${object.name}${hint}`,
    `a field of ${object.name}`,
  );
}

/**
 * Resolves a field path such as `owner__r.accountid` from `object`, following lookups
 * by their relationship names and ignoring case. A path whose first name is no
 * field or relationship but one of `functionNames`, such as `TODAY` or
 * `TODAY.Foo`, raises with the hint to write `TODAY()`.
 */
export function resolveFieldPath(
  node: PathNode,
  object: ObjectSchema,
  schema: OrgSchema,
  criterionName: string,
  functionNames: readonly string[] = [],
): ResolvedField {
  let current = object;
  const relationships: string[] = [];
  const objectNames = [object.name];
  const segments = node.segments;
  for (const [position, segment] of segments.slice(0, -1).entries()) {
    const lookup = indexOf(current).lookups.get(segment.name.toLowerCase());
    if (!lookup) {
      const callable = position === 0 ? functionNames : [];
      notALookup(current, segment, criterionName, callable);
    }
    current = followLookup(lookup, segment, schema, criterionName);
    relationships.push(lookup.relationshipName!);
    objectNames.push(current.name);
  }
  const last = segments[segments.length - 1]!;
  const field = indexOf(current).fields.get(last.name.toLowerCase());
  if (!field) {
    const callable = segments.length === 1 ? functionNames : [];
    notAField(current, last, criterionName, callable);
  }
  const type = formulaTypeOf(field.type);
  if (!type) {
    fail(
      criterionName,
      last,
      `${current.name}.${field.name} is of type ${field.type}, which criteria cannot read`,
      'a field of a supported type',
    );
  }
  return {
    path: [...relationships, field.name].join('.'),
    relationships,
    objectNames,
    fieldName: field.name,
    field,
    type,
  };
}

/** Resolves the first argument of an aggregate to a child relationship of `object`. */
export function resolveChildRelationship(
  segment: PathSegment,
  object: ObjectSchema,
  schema: OrgSchema,
  criterionName: string,
  functionName: string,
): { relationship: ChildRelationshipSchema; childObject: ObjectSchema } {
  const relationship = indexOf(object).children.get(segment.name.toLowerCase());
  if (!relationship) {
    const names = Object.values(object.childRelationships).map(
      (child) => child.relationshipName,
    );
    fail(
      criterionName,
      segment,
      `${functionName} needs a child relationship of ${object.name}, and ${segment.name} is not one${didYouMean(segment.name, names)}`,
      `a child relationship of ${object.name}`,
    );
  }
  const childObject = schema[relationship.childSObject];
  if (!childObject) {
    fail(
      criterionName,
      segment,
      `${relationship.relationshipName} holds ${relationship.childSObject} records, which is not an object in the org schema`,
      'a child relationship to an object in the schema',
    );
  }
  return { relationship, childObject };
}
