import type { ObjectSchema } from '../../middleware/src/domain/schema.js';
import {
  jsonParserError,
  lockError,
  SalesforceApiError,
  unsupportedObjectMessage,
  type ApiResponse,
} from './api-error.js';
import { objectOrNotFound } from './describe.js';
import {
  deleteRecord,
  insertRecord,
  MultipleMatchesError,
  updateRecord,
  upsertRecord,
} from './dml.js';
import type { ApiCall, Router } from './router.js';
import { normalizeId } from './salesforce-id.js';
import { context, toJson } from './sobject-routes.js';
import type { StandInState } from './state.js';

const MAX_RECORDS = 200;

interface RowResult {
  id?: string | null;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
  created?: boolean;
}

type RowWork = (state: StandInState, call: ApiCall, item: unknown) => RowResult;

/**
 * sObject Collections: up to 200 records created, updated, upserted or deleted in
 * one call, each with its own result. With allOrNone (or inside a composite call
 * with allOrNone) one failure rolls back all, and every other record reports
 * ALL_OR_NONE_OPERATION_ROLLED_BACK.
 */
export function registerCollectionRoutes(router: Router): void {
  router.add('POST', 'composite/sobjects', 'collections', (state, call) =>
    runRows(state, call, recordsOf(call), createRow),
  );
  router.add('PATCH', 'composite/sobjects', 'collections', (state, call) =>
    runRows(state, call, recordsOf(call), updateRow),
  );
  router.add(
    'PATCH',
    'composite/sobjects/:type/:field',
    'collections',
    (state, call, params) => {
      const object = objectOrNotFound(state, params.type);
      const field = params.field as string;
      return runRows(state, call, recordsOf(call), (s, c, item) =>
        upsertRow(s, c, item, object, field),
      );
    },
  );
  router.add('DELETE', 'composite/sobjects', 'collections', (state, call) => {
    const ids = (call.query.ids ?? '').split(',').filter(Boolean);
    checkCount(ids.length);
    return runRows(state, call, ids, deleteRow);
  });
  router.add(
    'GET',
    'composite/sobjects/:type',
    'collections',
    (state, call, params) =>
      retrieve(state, call, params.type, call.query.ids, call.query.fields),
  );
  router.add(
    'POST',
    'composite/sobjects/:type',
    'collections',
    (state, call, params) => {
      const body = (call.body ?? {}) as { ids?: unknown; fields?: unknown };
      const ids = Array.isArray(body.ids) ? body.ids.join(',') : undefined;
      const fields = Array.isArray(body.fields)
        ? body.fields.join(',')
        : undefined;
      return retrieve(state, call, params.type, ids, fields);
    },
  );
}

function recordsOf(call: ApiCall): unknown[] {
  const records = (call.body as { records?: unknown } | null)?.records;
  if (!Array.isArray(records)) {
    throw jsonParserError(
      "'records' is a required field: an array of records.",
    );
  }
  checkCount(records.length);
  return records;
}

function checkCount(count: number): void {
  if (count > MAX_RECORDS) {
    // NOTE: the error code for more than 200 records is assumed.
    throw new SalesforceApiError(
      400,
      'EXCEEDED_ID_LIMIT',
      `Number of records exceeds the limit of ${MAX_RECORDS}: ${count}`,
    );
  }
}

function allOrNoneOf(call: ApiCall): boolean {
  if (call.outerAllOrNone) return true;
  const fromBody = (call.body as { allOrNone?: unknown } | null)?.allOrNone;
  return fromBody === true || call.query.allOrNone === 'true';
}

function runRows(
  state: StandInState,
  call: ApiCall,
  items: unknown[],
  work: RowWork,
): ApiResponse {
  const allOrNone = allOrNoneOf(call);
  const failIndex =
    call.fault?.kind === 'partial'
      ? (call.fault.failIndex ?? items.length - 1)
      : undefined;
  const { store } = state;
  const results = store.transaction(() => {
    const start = store.savepoint();
    const rows = items.map((item, index) => {
      if (index === failIndex) return failure(lockError());
      const rowStart = store.savepoint();
      const result = work(state, call, item);
      if (!result.success) store.rollbackTo(rowStart);
      return result;
    });
    if (allOrNone && rows.some((row) => !row.success)) {
      store.rollbackTo(start);
      return rows.map((row) => (row.success ? rolledBack() : row));
    }
    return rows;
  });
  return { status: 200, body: results };
}

function failure(error: SalesforceApiError, id?: string): RowResult {
  const result: RowResult = {
    success: false,
    errors: [
      {
        statusCode: error.errorCode,
        message: error.message,
        fields: error.fields ?? [],
      },
    ],
  };
  if (id !== undefined) result.id = id;
  return result;
}

function rolledBack(): RowResult {
  return failure(
    new SalesforceApiError(
      400,
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'Record rolled back because not all records were valid and the request was using AllOrNone header',
      [],
    ),
  );
}

/** Runs one row, turning Salesforce errors into its failed result. */
function guarded(work: () => RowResult, id?: string): RowResult {
  try {
    return work();
  } catch (error) {
    if (error instanceof MultipleMatchesError) {
      return failure(
        new SalesforceApiError(
          300,
          'DUPLICATE_EXTERNAL_ID',
          `The external ID matches more than one record: ${error.urls.join(', ')}`,
          [],
        ),
        id,
      );
    }
    if (error instanceof SalesforceApiError) return failure(error, id);
    throw error;
  }
}

function recordFields(item: unknown): Record<string, unknown> {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw jsonParserError('Each record must be a JSON object');
  }
  return item as Record<string, unknown>;
}

function typeOf(
  state: StandInState,
  item: Record<string, unknown>,
): ObjectSchema {
  const type = (item.attributes as { type?: unknown } | undefined)?.type;
  const object =
    typeof type === 'string' ? state.schema.object(type) : undefined;
  if (!object) {
    throw new SalesforceApiError(
      400,
      'INVALID_TYPE',
      unsupportedObjectMessage(typeof type === 'string' ? type : ''),
    );
  }
  return object;
}

function createRow(
  state: StandInState,
  call: ApiCall,
  item: unknown,
): RowResult {
  return guarded(() => {
    const fields = recordFields(item);
    const id = insertRecord(
      context(state, call),
      typeOf(state, fields),
      fields,
    );
    return { id, success: true, errors: [] };
  });
}

function updateRow(
  state: StandInState,
  call: ApiCall,
  item: unknown,
): RowResult {
  const fields = recordFields(item);
  const { id: rawId, ...rest } = fields;
  const id = typeof rawId === 'string' ? rawId : undefined;
  return guarded(() => {
    if (id === undefined) {
      throw new SalesforceApiError(
        400,
        'MISSING_ARGUMENT',
        'Id not specified in an update call',
        ['Id'],
      );
    }
    const object = typeOf(state, fields);
    const saved = updateRecord(context(state, call), object, id, rest);
    return { id: saved, success: true, errors: [] };
  }, id);
}

function upsertRow(
  state: StandInState,
  call: ApiCall,
  item: unknown,
  object: ObjectSchema,
  fieldName: string,
): RowResult {
  return guarded(() => {
    const fields = recordFields(item);
    const key = Object.keys(fields).find(
      (name) => name.toLowerCase() === fieldName.toLowerCase(),
    );
    const value = key === undefined ? undefined : fields[key];
    if (value === undefined || value === null || value === '') {
      throw new SalesforceApiError(
        400,
        'MISSING_ARGUMENT',
        `${fieldName} not specified`,
        [fieldName],
      );
    }
    const result = upsertRecord(
      context(state, call),
      object,
      fieldName,
      String(value),
      fields,
    );
    return {
      id: result.id,
      success: true,
      errors: [],
      created: result.created,
    };
  });
}

function deleteRow(
  state: StandInState,
  call: ApiCall,
  item: unknown,
): RowResult {
  const rawId = String(item);
  return guarded(() => {
    const type = normalizeId(rawId) && state.store.typeOfId(rawId);
    const object = type ? state.schema.object(type) : undefined;
    if (!object) {
      throw new SalesforceApiError(
        400,
        'MALFORMED_ID',
        `malformed id ${rawId}`,
        [],
      );
    }
    const id = deleteRecord(context(state, call), object, rawId);
    return { id, success: true, errors: [] };
  }, rawId);
}

function retrieve(
  state: StandInState,
  call: ApiCall,
  type: string | undefined,
  idList: string | undefined,
  fieldList: string | undefined,
): ApiResponse {
  const object = objectOrNotFound(state, type);
  const ids = (idList ?? '').split(',').filter(Boolean);
  if (ids.length === 0 || !fieldList) {
    throw new SalesforceApiError(
      400,
      'MISSING_ARGUMENT',
      'Both ids and fields are required',
    );
  }
  checkCount(ids.length);
  const records = ids.map((rawId) => {
    const id = normalizeId(rawId);
    const record = id ? state.store.get(object.name, id) : undefined;
    if (!record || record.isDeleted) return null;
    return toJson(state, call, object, record, fieldList);
  });
  return { status: 200, body: records };
}
