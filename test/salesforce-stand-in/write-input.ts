import type {
  FieldSchema,
  ObjectSchema,
} from '../../middleware/src/domain/schema.js';
import { noSuchColumnMessage, SalesforceApiError } from './api-error.js';
import type { WriteContext } from './dml.js';
import { coerceFieldValue } from './field-values.js';
import type { StoredValue } from './record-store.js';

/** Fields the platform sets; a write that names one fails. */
const SYSTEM_FIELDS = new Set([
  'Id',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
  'IsDeleted',
]);
/** Fields Salesforce derives from others, per object. */
const DERIVED_FIELDS: Record<string, string[]> = {
  Opportunity: ['IsWon', 'IsClosed', 'ExpectedRevenue'],
  User: ['Name', 'UserType'],
  Contact: ['Name'],
};

/** Resolves and converts the body's fields, rejecting unknown and read-only ones. */
export function readBody(
  ctx: WriteContext,
  object: ObjectSchema,
  body: Record<string, unknown>,
): Record<string, StoredValue> {
  const values: Record<string, StoredValue> = {};
  const readOnly: string[] = [];
  for (const [name, raw] of Object.entries(body)) {
    if (name === 'attributes') continue;
    const field = ctx.state.schema.field(object.name, name);
    if (!field) {
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD',
        noSuchColumnMessage(name, object.name),
      );
    }
    if (!ctx.trusted && isReadOnly(object, field)) {
      readOnly.push(field.name);
      continue;
    }
    values[field.name] = coerceFieldValue(field, raw);
    if (field.type === 'reference' && values[field.name] !== null) {
      checkReference(ctx, field, values[field.name] as string, !ctx.trusted);
    }
  }
  if (readOnly.length > 0) {
    throw new SalesforceApiError(
      400,
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      readOnly,
    );
  }
  return values;
}

/** Tells whether the platform sets the field, so that a write naming it fails. */
export function isReadOnly(object: ObjectSchema, field: FieldSchema): boolean {
  return (
    SYSTEM_FIELDS.has(field.name) ||
    (DERIVED_FIELDS[object.name] ?? []).includes(field.name)
  );
}

function checkReference(
  ctx: WriteContext,
  field: FieldSchema,
  id: string,
  mustExist: boolean,
) {
  const targetType = ctx.state.store.typeOfId(id);
  if (!targetType || !(field.referenceTo ?? []).includes(targetType)) {
    throw new SalesforceApiError(
      400,
      'FIELD_INTEGRITY_EXCEPTION',
      `${field.label}: id value of incorrect type: ${id}`,
      [field.name],
    );
  }
  const target = ctx.state.store.get(targetType, id);
  if (!mustExist) return;
  if (!target) {
    // NOTE: the error for a well-formed Id of no record is assumed to be this one.
    throw new SalesforceApiError(
      400,
      'INVALID_CROSS_REFERENCE_KEY',
      'invalid cross reference id',
      [field.name],
    );
  }
  if (target.isDeleted) {
    throw new SalesforceApiError(
      400,
      'ENTITY_IS_DELETED',
      'entity is deleted',
      [field.name],
    );
  }
}
