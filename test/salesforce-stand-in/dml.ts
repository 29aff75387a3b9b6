import type {
  FieldSchema,
  ObjectSchema,
} from '../../middleware/src/domain/schema.js';
import { notFound, SalesforceApiError } from './api-error.js';
import { coerceFieldValue, formatDateTime } from './field-values.js';
import type { StoredRecord, StoredValue } from './record-store.js';
import { normalizeId } from './salesforce-id.js';
import type { StandInState } from './state.js';
import type { StandInUser } from './users.js';
import { checkStageGuards } from './validation-rules.js';
import { readBody } from './write-input.js';

/** Who writes, and whether platform checks apply (`trusted` is for test set-up). */
export interface WriteContext {
  state: StandInState;
  user: StandInUser;
  /**
   * For seeding data: read-only fields may be set, lookups need not point to an
   * existing record yet, and validation rules do not run.
   */
  trusted?: boolean;
}

type Body = Record<string, unknown>;

/** Inserts a record from a request body; returns its Id. */
export function insertRecord(
  ctx: WriteContext,
  object: ObjectSchema,
  body: Body,
): string {
  // Trusted set-up may seed custom metadata records, which deploys create in an org.
  if (!ctx.trusted) assertWritableObject(object, 'inserted');
  const input = readBody(ctx, object, body);
  const id = ctx.state.ids.generate(object.keyPrefix);
  const values: Record<string, StoredValue> = { Id: id };
  for (const field of Object.values(object.fields)) {
    if (field.name === 'Id') continue;
    values[field.name] = defaultValue(ctx, object, field);
  }
  Object.assign(values, systemValues(ctx, object, true), input);
  if ('Name' in object.fields && values.Name === null && object.custom) {
    values.Name = nextAutoName(ctx.state, object);
  }
  return save(ctx, object, undefined, values);
}

/** Applies a request body to an existing record. */
export function updateRecord(
  ctx: WriteContext,
  object: ObjectSchema,
  rawId: string,
  body: Body,
): string {
  assertWritableObject(object, 'updated');
  const prior = liveRecord(ctx, object, rawId);
  const input = readBody(ctx, object, body);
  const values = {
    ...prior.values,
    ...input,
    ...systemValues(ctx, object, false),
  };
  return save(ctx, object, prior, values);
}

/**
 * Moves a record, and its master-detail children, to the recycle bin.
 * NOTE: lookups to the record keep its Id, where an org is assumed to clear them; queries read them as blank either way.
 */
export function deleteRecord(
  ctx: WriteContext,
  object: ObjectSchema,
  rawId: string,
): string {
  assertWritableObject(object, 'deleted');
  const record = liveRecord(ctx, object, rawId);
  const id = record.values.Id as string;
  const { schema, store } = ctx.state;
  for (const child of Object.values(object.childRelationships)) {
    const childObject = schema.object(child.childSObject);
    const lookup = childObject?.fields[child.field];
    if (!childObject || !lookup || lookup.nillable !== false) continue;
    for (const row of store.all(childObject.name)) {
      if (!row.isDeleted && row.values[lookup.name] === id) {
        deleteRecord(ctx, childObject, row.values.Id as string);
      }
    }
  }
  store.put({
    type: object.name,
    values: { ...record.values, ...systemValues(ctx, object, false) },
    isDeleted: true,
  });
  return id;
}

/** Inserts or updates the record whose external id `fieldName` is `rawValue`. */
export function upsertRecord(
  ctx: WriteContext,
  object: ObjectSchema,
  fieldName: string,
  rawValue: string,
  body: Body,
): { id: string; created: boolean } {
  const field = ctx.state.schema.field(object.name, fieldName);
  if (!field || (!field.externalId && field.name !== 'Id')) {
    throw new SalesforceApiError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${fieldName}`,
    );
  }
  if (field.name === 'Id') {
    return { id: updateRecord(ctx, object, rawValue, body), created: false };
  }
  const value = coerceFieldValue(field, rawValue);
  const matches = ctx.state.store.findByIndexedField(
    object.name,
    field.name,
    value,
  );
  if (matches.length > 1) {
    const apiVersion = ctx.state.settings.apiVersion;
    throw new MultipleMatchesError(
      matches.map(
        (m) =>
          `/services/data/v${apiVersion}/sobjects/${object.name}/${m.values.Id}`,
      ),
    );
  }
  const { [field.name]: _ignored, ...rest } = lowerKeysExcept(body, field.name);
  if (matches.length === 1) {
    const id = matches[0]?.values.Id as string;
    return { id: updateRecord(ctx, object, id, rest), created: false };
  }
  return {
    id: insertRecord(ctx, object, { ...rest, [field.name]: value }),
    created: true,
  };
}

/** An upsert key matched several records: HTTP 300 with their URLs. */
export class MultipleMatchesError extends SalesforceApiError {
  constructor(readonly urls: string[]) {
    super(300, 'MULTIPLE_CHOICES', 'Multiple records found');
  }
}

/** Returns the live record with this Id, or throws the error Salesforce returns (MALFORMED_ID, NOT_FOUND, ENTITY_IS_DELETED). */
export function liveRecord(
  ctx: WriteContext,
  object: ObjectSchema,
  rawId: string,
): StoredRecord {
  const id = normalizeId(rawId);
  if (id === null || id.slice(0, 3) !== object.keyPrefix) {
    throw new SalesforceApiError(
      400,
      'MALFORMED_ID',
      `${ctx.state.schema.idLabel(object)}: id value of incorrect type: ${rawId}`,
      ['Id'],
    );
  }
  const record = ctx.state.store.get(object.name, id);
  if (!record) throw notFound();
  if (record.isDeleted) {
    throw new SalesforceApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
  }
  return record;
}

function assertWritableObject(object: ObjectSchema, verb: string): void {
  if (object.name.endsWith('__mdt')) {
    // NOTE: the error code for DML on custom metadata through REST is assumed.
    throw new SalesforceApiError(
      400,
      'INVALID_TYPE_FOR_OPERATION',
      `entity type cannot be ${verb}: ${object.label}`,
    );
  }
}

function defaultValue(
  ctx: WriteContext,
  object: ObjectSchema,
  field: FieldSchema,
): StoredValue {
  if (field.defaultValue !== undefined && field.defaultValue !== null) {
    return coerceFieldValue(field, field.defaultValue);
  }
  if (field.type === 'boolean') return false;
  if (field.name === 'OwnerId') return ctx.user.id;
  if (field.name === 'CurrencyIsoCode') return 'USD';
  return null;
}

function systemValues(
  ctx: WriteContext,
  object: ObjectSchema,
  creating: boolean,
): Record<string, StoredValue> {
  const now = formatDateTime(ctx.state.now().getTime());
  const candidates: Record<string, StoredValue> = {
    LastModifiedDate: now,
    LastModifiedById: ctx.user.id,
    SystemModstamp: now,
  };
  if (creating) {
    candidates.CreatedDate = now;
    candidates.CreatedById = ctx.user.id;
  }
  return Object.fromEntries(
    Object.entries(candidates).filter(([name]) => name in object.fields),
  );
}

function nextAutoName(state: StandInState, object: ObjectSchema): string {
  const next = (state.nameCounters.get(object.name) ?? 0) + 1;
  state.nameCounters.set(object.name, next);
  // NOTE: ObjectSchema has no auto-number display format, so every custom object numbers its Names as 000001.
  return String(next).padStart(6, '0');
}

/** Derives, checks and stores the record; the shared tail of insert and update. */
function save(
  ctx: WriteContext,
  object: ObjectSchema,
  prior: StoredRecord | undefined,
  values: Record<string, StoredValue>,
): string {
  deriveOpportunityFlags(object, values);
  checkRequired(object, values);
  if (!ctx.trusted) {
    const ruleError = checkStageGuards(
      object.name,
      prior?.values,
      values,
      ctx.user,
      ctx.state.settings.stageGuardMessages,
    );
    if (ruleError) throw ruleError;
  }
  checkUnique(ctx, object, values);
  ctx.state.store.put({ type: object.name, values, isDeleted: false });
  return values.Id as string;
}

/** `IsWon` and `IsClosed` follow the standard `Closed Won` and `Closed Lost` stage values. */
function deriveOpportunityFlags(
  object: ObjectSchema,
  values: Record<string, StoredValue>,
): void {
  if (object.name !== 'Opportunity' || !('StageName' in values)) return;
  // NOTE: a real org reads these flags from its OpportunityStage settings.
  if ('IsWon' in object.fields)
    values.IsWon = values.StageName === 'Closed Won';
  if ('IsClosed' in object.fields) {
    values.IsClosed =
      values.StageName === 'Closed Won' || values.StageName === 'Closed Lost';
  }
}

function checkRequired(
  object: ObjectSchema,
  values: Record<string, StoredValue>,
): void {
  const missing = Object.values(object.fields)
    .filter((f) => f.nillable === false && f.type !== 'boolean')
    .filter((f) => values[f.name] === null || values[f.name] === undefined)
    .map((f) => f.name);
  if (missing.length > 0) {
    throw new SalesforceApiError(
      400,
      'REQUIRED_FIELD_MISSING',
      `Required fields are missing: [${missing.join(', ')}]`,
      missing,
    );
  }
}

function checkUnique(
  ctx: WriteContext,
  object: ObjectSchema,
  values: Record<string, StoredValue>,
): void {
  for (const field of Object.values(object.fields)) {
    const value = values[field.name];
    if (!field.unique || value === null || value === undefined) continue;
    const other = ctx.state.store
      .findByIndexedField(object.name, field.name, value)
      .find((record) => record.values.Id !== values.Id);
    if (other) {
      throw new SalesforceApiError(
        400,
        'DUPLICATE_VALUE',
        `duplicate value found: ${field.name} duplicates value on record with id: ${other.values.Id}`,
        [],
      );
    }
  }
}

function lowerKeysExcept(body: Body, fieldName: string): Body {
  const wanted = fieldName.toLowerCase();
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [
      key.toLowerCase() === wanted ? fieldName : key,
      value,
    ]),
  );
}
