import type { ObjectSchema } from '../../middleware/src/domain/schema.js';
import {
  jsonParserError,
  noSuchColumnMessage,
  notFound,
  SalesforceApiError,
  type ApiResponse,
} from './api-error.js';
import { objectOrNotFound } from './describe.js';
import {
  deleteRecord,
  insertRecord,
  liveRecord,
  MultipleMatchesError,
  updateRecord,
  upsertRecord,
  type WriteContext,
} from './dml.js';
import type { StoredRecord } from './record-store.js';
import type { ApiCall, Router } from './router.js';
import { normalizeId } from './salesforce-id.js';
import { recordShell, type JsonRecord } from './soql/execute.js';
import type { StandInState } from './state.js';

export function registerSObjectRoutes(router: Router): void {
  router.add('POST', 'sobjects/:type', 'sobject', (state, call, params) => {
    const object = objectOrNotFound(state, params.type);
    const id = write(state, call, () =>
      insertRecord(context(state, call), object, bodyObject(call)),
    );
    return created(call, object, id);
  });
  router.add('GET', 'sobjects/:type/:id', 'sobject', (state, call, params) => {
    const object = objectOrNotFound(state, params.type);
    const rawId = params.id as string;
    if (normalizeId(rawId) === null) {
      throw new SalesforceApiError(
        404,
        'NOT_FOUND',
        `Provided external ID field does not exist or is not accessible: ${rawId}`,
      );
    }
    const record = liveRecord(context(state, call), object, rawId);
    return { status: 200, body: toJson(state, call, object, record) };
  });
  router.add(
    'PATCH',
    'sobjects/:type/:id',
    'sobject',
    (state, call, params) => {
      const object = objectOrNotFound(state, params.type);
      write(state, call, () =>
        updateRecord(
          context(state, call),
          object,
          params.id as string,
          bodyObject(call),
        ),
      );
      return { status: 204 };
    },
  );
  router.add(
    'DELETE',
    'sobjects/:type/:id',
    'sobject',
    (state, call, params) => {
      const object = objectOrNotFound(state, params.type);
      write(state, call, () =>
        deleteRecord(context(state, call), object, params.id as string),
      );
      return { status: 204 };
    },
  );
  router.add(
    'GET',
    'sobjects/:type/:field/:value',
    'sobject',
    (state, call, params) => getByExternalId(state, call, params),
  );
  router.add(
    'PATCH',
    'sobjects/:type/:field/:value',
    'sobject',
    (state, call, params) => {
      const object = objectOrNotFound(state, params.type);
      const result = write(state, call, () =>
        upsertRecord(
          context(state, call),
          object,
          params.field as string,
          params.value as string,
          bodyObject(call),
        ),
      );
      return {
        status: result.created ? 201 : 200,
        body: {
          id: result.id,
          success: true,
          errors: [],
          created: result.created,
        },
        headers: result.created ? location(call, object, result.id) : {},
      };
    },
  );
}

export function context(state: StandInState, call: ApiCall): WriteContext {
  return { state, user: call.user };
}

/** Runs a write as one transaction, so a failure part-way (a cascade) leaves nothing behind. */
export function write<T>(state: StandInState, call: ApiCall, work: () => T): T {
  return state.store.transaction(() => {
    const savepoint = state.store.savepoint();
    try {
      return work();
    } catch (error) {
      state.store.rollbackTo(savepoint);
      throw error;
    }
  });
}

export function bodyObject(call: ApiCall): Record<string, unknown> {
  const body = call.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw jsonParserError(
      'The request body must be a JSON object of field names and values',
    );
  }
  return body as Record<string, unknown>;
}

function location(call: ApiCall, object: ObjectSchema, id: string) {
  return {
    Location: `/services/data/v${call.apiVersion}/sobjects/${object.name}/${id}`,
  };
}

function created(call: ApiCall, object: ObjectSchema, id: string): ApiResponse {
  return {
    status: 201,
    body: { id, success: true, errors: [] },
    headers: location(call, object, id),
  };
}

/** A record with all its fields, or those named in `?fields=`, as the REST API returns it. */
export function toJson(
  state: StandInState,
  call: ApiCall,
  object: ObjectSchema,
  record: StoredRecord,
  fieldList = call.query.fields,
): JsonRecord {
  const names = fieldList
    ? fieldList.split(',').map((name) => name.trim())
    : Object.keys(object.fields);
  const out = recordShell(object, record, call.apiVersion);
  for (const name of names) {
    const field = state.schema.field(object.name, name);
    if (!field) {
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD',
        noSuchColumnMessage(name, object.name),
      );
    }
    out[field.name] = record.values[field.name] ?? null;
  }
  return out;
}

function getByExternalId(
  state: StandInState,
  call: ApiCall,
  params: Record<string, string>,
): ApiResponse {
  const object = objectOrNotFound(state, params.type);
  const field = state.schema.field(object.name, params.field as string);
  if (!field || !field.externalId) {
    throw new SalesforceApiError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${params.field}`,
    );
  }
  const matches = state.store.findByIndexedField(
    object.name,
    field.name,
    params.value as string,
  );
  if (matches.length === 0) throw notFound();
  if (matches.length > 1) {
    throw new MultipleMatchesError(
      matches.map(
        (m) =>
          `/services/data/v${call.apiVersion}/sobjects/${object.name}/${m.values.Id}`,
      ),
    );
  }
  return {
    status: 200,
    body: toJson(state, call, object, matches[0] as StoredRecord),
  };
}
