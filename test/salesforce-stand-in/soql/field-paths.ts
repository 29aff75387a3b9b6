import type {
  FieldSchema,
  ObjectSchema,
} from '../../../middleware/src/domain/schema.js';
import { noSuchColumnMessage } from '../api-error.js';
import type {
  RecordStore,
  StoredRecord,
  StoredValue,
} from '../record-store.js';
import type { SchemaIndex } from '../schema-index.js';
import { queryError } from './query-error.js';

/** One lookup crossed by a field path, such as `Owner__r` in `Owner__r.AccountId`. */
export interface PathHop {
  field: FieldSchema;
  relationshipName: string;
  target: ObjectSchema;
}

/** A field path resolved against the schema, with canonical names. */
export interface ResolvedPath {
  hops: PathHop[];
  leaf: FieldSchema;
  /** Canonical dotted path, such as `Owner__r.AccountId`. */
  path: string;
}

/**
 * Resolves `Owner__r.AccountId`-style paths from `object`, ignoring case as SOQL
 * does, with Salesforce's INVALID_FIELD errors for unknown relationships and
 * fields. A leading `alias.` is dropped when the query names the object with it.
 */
export function resolvePath(
  schema: SchemaIndex,
  object: ObjectSchema,
  rawPath: string,
  soql: string,
  alias?: string,
): ResolvedPath {
  let segments = rawPath.split('.');
  if (
    alias &&
    segments.length > 1 &&
    segments[0]?.toLowerCase() === alias.toLowerCase()
  ) {
    segments = segments.slice(1);
  }
  const hops: PathHop[] = [];
  let current = object;
  for (const segment of segments.slice(0, -1)) {
    const field = schema.parentRelationship(current.name, segment);
    const target = field && schema.object(field.referenceTo?.[0] ?? '');
    if (!field || !target) {
      throw queryError(
        soql,
        segment,
        'INVALID_FIELD',
        `Didn't understand relationship '${segment}' in field path. If you are attempting to use a custom relationship, ` +
          `be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    hops.push({
      field,
      relationshipName: field.relationshipName as string,
      target,
    });
    current = target;
  }
  const leafName = segments[segments.length - 1] as string;
  const leaf = schema.field(current.name, leafName);
  if (!leaf) {
    throw queryError(
      soql,
      leafName,
      'INVALID_FIELD',
      noSuchColumnMessage(leafName, current.name),
    );
  }
  const path = [...hops.map((hop) => hop.relationshipName), leaf.name].join(
    '.',
  );
  return { hops, leaf, path };
}

/** Returns the parent record a hop leads to, or null when the lookup is blank or its record deleted. */
export function followHop(
  store: RecordStore,
  record: StoredRecord,
  hop: PathHop,
): StoredRecord | null {
  const id = record.values[hop.field.name];
  if (typeof id !== 'string') return null;
  const parent = store.get(hop.target.name, id);
  return parent && !parent.isDeleted ? parent : null;
}

/** Returns the value at the end of a path, or null when a lookup on the way is blank. */
export function readPath(
  store: RecordStore,
  record: StoredRecord,
  path: ResolvedPath,
): StoredValue {
  let current: StoredRecord | null = record;
  for (const hop of path.hops) {
    current = followHop(store, current, hop);
    if (!current) return null;
  }
  return current.values[path.leaf.name] ?? null;
}
