import type { ObjectSchema } from '../domain/schema.js';
import type { SourceRecord } from './import-types.js';
import { shortenText } from './quote-value.js';
import { RecordProblem } from './record-ids.js';

/**
 * Sets the lookup of a record nested in a parent's child relationship block to an
 * `@reference` to that parent. The nesting decides the parent, so a lookup value
 * the record gives itself is replaced.
 */
export function linkToParent(
  source: SourceRecord,
  object: ObjectSchema,
  parentObject: ObjectSchema | undefined,
): SourceRecord {
  const parent = source.parent!;
  const relationshipName = parent.relationshipName.toLowerCase();
  const relationship = Object.values(
    parentObject?.childRelationships ?? {},
  ).find((r) => r.relationshipName.toLowerCase() === relationshipName);
  if (!relationship || relationship.childSObject !== object.name) {
    throw new RecordProblem(
      `is nested under ${parent.origin} in ${shortenText(parent.relationshipName)}, which is not a child relationship from ${shortenText(parent.objectName)} to ${object.name}; ` +
        'export the records again with sf data export tree --plan, which writes each object to its own file, and import the plan',
    );
  }
  if (parent.referenceId === undefined) {
    throw new RecordProblem(
      `is nested under ${parent.origin}, which has no referenceId to link it by; give that record attributes.referenceId, or export again with sf data export tree --plan and import the plan`,
    );
  }
  return {
    ...source,
    fields: {
      ...source.fields,
      [relationship.field]: `@${parent.referenceId}`,
    },
  };
}
