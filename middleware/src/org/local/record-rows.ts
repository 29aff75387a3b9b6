import { closestName } from '../../domain/criteria/closest-name.js';
import type { RecordData } from '../../domain/records.js';
import { isSalesforceId, toId18 } from '../../domain/salesforce-id.js';
import type { ObjectSchema, OrgSchema } from '../../domain/schema.js';
import { FieldValueError, leadingText, toSqlValue } from './field-values.js';
import type { SqlValue } from './field-values.js';
import { referencePrefixes } from './reference-prefixes.js';

/** One value of a batch that does not fit the schema. */
export interface RecordProblem {
  /** Position of the record in the batch, from 0. */
  index: number;
  field: string | null;
  value: unknown;
  /** The problem and its fix. */
  detail: string;
}

const LISTED_PROBLEMS = 20;

/**
 * A seeding or import batch that does not fit the objects of the package folder
 * `packageDir`, whose object files the store's schema was read from. Nothing of
 * the batch was written.
 */
export class RecordValidationError extends Error {
  /** The problems, with text values cut by `leadingText`, because loggers write them out. */
  readonly problems: RecordProblem[];

  constructor(
    readonly objectName: string,
    problems: RecordProblem[],
    readonly packageDir: string,
  ) {
    const lines = problems
      .slice(0, LISTED_PROBLEMS)
      .map((p) => `- record ${p.index + 1}: ${p.detail}`);
    if (problems.length > LISTED_PROBLEMS) {
      lines.push(`- and ${problems.length - LISTED_PROBLEMS} more problems`);
    }
    super(
      `${objectName} records do not fit the object files of the package folder ${packageDir}, so none of the batch was written:\n${lines.join('\n')}`,
    );
    this.name = 'RecordValidationError';
    this.problems = problems.map((p) => ({ ...p, value: cutValue(p.value) }));
  }
}

/** Cuts a text value to its `leadingText`, marking the cut with "…". */
function cutValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const leading = leadingText(value);
  return leading === value ? value : `${leading}…`;
}

export type Row = Map<string, SqlValue>;

/**
 * Checks one record against its object and converts it to column values. Every
 * problem found is added to `problems`, and the row is returned only when there
 * is none. A given Id must be an Id of this object and is widened to 18.
 */
export function toRow(
  schema: OrgSchema,
  object: ObjectSchema,
  record: RecordData,
  index: number,
  problems: RecordProblem[],
): Row | null {
  const row: Row = new Map();
  const found = problems.length;
  for (const [name, value] of Object.entries(record)) {
    if (name === 'attributes' || value === undefined) continue;
    if (typeof value === 'object' && value !== null) {
      const lookup = Object.values(object.fields).find(
        (f) => f.relationshipName === name,
      );
      const fix = lookup
        ? `set ${lookup.name} to the parent's Id instead`
        : 'write related records in their own batch';
      problems.push({
        index,
        field: name,
        value,
        detail: `${name} is a nested record or list; ${fix}`,
      });
      continue;
    }
    const field = object.fields[name];
    if (!field) {
      const closest = closestName(name, Object.keys(object.fields));
      // NOTE: the fix names force-app even for another package folder, because toRow is not given the folder.
      problems.push({
        index,
        field: name,
        value,
        detail: `${name} is not a field of ${object.name}; ${closest ? `did you mean ${closest}?` : 'check its spelling against the force-app object files'}`,
      });
      continue;
    }
    try {
      row.set(name, toSqlValue(field, value, referencePrefixes(schema, field)));
    } catch (error) {
      if (!(error instanceof FieldValueError)) throw error;
      problems.push({ index, field: name, value, detail: error.message });
    }
  }
  const id = record['Id'];
  if (typeof id === 'string' && isSalesforceId(id)) {
    if (!toId18(id).startsWith(object.keyPrefix)) {
      problems.push({
        index,
        field: 'Id',
        value: id,
        detail: `Id ${id} is not an Id of ${object.name}; use an Id that starts with ${object.keyPrefix}, or leave Id out to have one generated`,
      });
    }
  }
  return problems.length === found ? row : null;
}
