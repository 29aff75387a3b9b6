import { describe, expect, it } from '@jest/globals';
import jsforce from 'jsforce';
import HttpApiModule from 'jsforce/lib/http-api.js';
import {
  OrgRejectedError,
  RecordLockedError,
  RecordNotFoundError,
  StoreUnavailableError,
} from '../../../middleware/src/org/errors.js';
import {
  SalesforceCallError,
  toCallError,
  type ApiErrorEntry,
  type FailureKind,
} from '../../../middleware/src/org/salesforce/api-error.js';
import { toGatewayError } from '../../../middleware/src/org/salesforce/gateway-errors.js';

/** The error jsforce 3 raises for an HTTP error response, made by jsforce itself. */
async function jsforceError(status: number, body: unknown): Promise<Error> {
  const HttpApi = (HttpApiModule as unknown as { default: any }).default;
  const connection = new jsforce.Connection({ version: '62.0' });
  const api = new HttpApi(connection, {});
  return api.getError({
    statusCode: status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('toCallError', () => {
  it('keeps every error of a multi-error response', async () => {
    const error = await jsforceError(400, [
      {
        errorCode: 'REQUIRED_FIELD_MISSING',
        message: 'Required fields are missing: [Name]',
        fields: ['Name'],
      },
      {
        errorCode: 'STRING_TOO_LONG',
        message: 'Step: data value too large',
        fields: ['Step__c'],
      },
    ]);
    expect((error as any).errorCode).toBe('MULTIPLE_API_ERRORS');
    const failure = toCallError('insert step', error);
    expect(failure.errors.map((e) => e.errorCode)).toEqual([
      'REQUIRED_FIELD_MISSING',
      'STRING_TOO_LONG',
    ]);
    const mapped = toGatewayError('insert step', error);
    expect(mapped).toBeInstanceOf(OrgRejectedError);
    expect(mapped.message).toContain(
      'REQUIRED_FIELD_MISSING: Required fields are missing: [Name] [Name]',
    );
    expect(mapped.message).toContain(
      'STRING_TOO_LONG: Step: data value too large [Step__c]',
    );
    expect(mapped.cause).toBeInstanceOf(SalesforceCallError);
    expect((mapped.cause as SalesforceCallError).cause).toBe(error);
  });

  it('reads the code of a single error', async () => {
    const error = await jsforceError(400, [
      { errorCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain lock' },
    ]);
    const failure = toCallError('update deal', error);
    expect(failure.kind).toBe('transient');
    expect(failure.errors).toEqual([
      { errorCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain lock' },
    ]);
  });

  it.each([
    ['an abort', { name: 'AbortError' }, 'uncertain'],
    ['a reset socket', { name: 'FetchError', code: 'ECONNRESET' }, 'uncertain'],
    ['an expired session', { errorCode: 'INVALID_SESSION_ID' }, 'session'],
    ['the daily limit', { errorCode: 'REQUEST_LIMIT_EXCEEDED' }, 'limit'],
    ['a 503', { errorCode: 'ERROR_HTTP_503' }, 'transient'],
    ['a malformed query', { errorCode: 'MALFORMED_QUERY' }, 'rejected'],
  ])('classifies %s', (_label, fields, kind) => {
    const error = Object.assign(new Error('failed'), fields);
    expect(toCallError('call', error).kind).toBe(kind);
  });

  it('maps a validation rule to OrgRejectedError', async () => {
    const error = await jsforceError(400, [
      {
        errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        message: 'Amount is required from Negotiating on',
        fields: ['Amount'],
      },
    ]);
    const mapped = toGatewayError('insert transition', error);
    expect(mapped).toBeInstanceOf(OrgRejectedError);
    expect(mapped.code).toBe('org_rejected');
    expect(mapped.message).toBe(
      'insert transition: the org rejected the write: FIELD_CUSTOM_VALIDATION_EXCEPTION: Amount is required from Negotiating on [Amount]',
    );
    const rejected = mapped as OrgRejectedError;
    expect(rejected.orgErrors).toEqual([
      {
        errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
        message: 'Amount is required from Negotiating on',
        fields: ['Amount'],
      },
    ]);
    expect(rejected.fix).toContain('validation rule');
  });

  it('keeps other rejections as StoreUnavailableError', async () => {
    const error = await jsforceError(400, [
      { errorCode: 'INVALID_FIELD', message: "No such column 'Foo__c'" },
    ]);
    const mapped = toGatewayError('read deal', error);
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect(mapped.message).toContain('INVALID_FIELD');
  });

  it('maps a missing record to RecordNotFoundError', async () => {
    const error = await jsforceError(404, [
      {
        errorCode: 'NOT_FOUND',
        message: 'The requested resource does not exist',
      },
    ]);
    const mapped = toGatewayError('update request', error, {
      objectName: 'Stage_Request__c',
      recordId: 'a06000000000001AAA',
    });
    expect(mapped).toBeInstanceOf(RecordNotFoundError);
    expect(mapped.message).toBe(
      'Stage_Request__c a06000000000001AAA was not found',
    );
  });
});

const TRIGGER_LOCK: ApiErrorEntry = {
  errorCode: 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
  message:
    'DealTrigger: execution of AfterUpdate caused by: System.DmlException: Update failed. First exception on row 0; first error: UNABLE_TO_LOCK_ROW, unable to obtain exclusive access to this record: []',
  referenceId: 'deal',
};
const CPU_LIMIT: ApiErrorEntry = {
  errorCode: 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
  message: 'DealTrigger: System.LimitException: Apex CPU time limit exceeded',
  referenceId: 'deal',
};
const PART_LOCK: ApiErrorEntry = {
  errorCode: 'UNABLE_TO_LOCK_ROW',
  message: 'unable to obtain exclusive access to this record',
  referenceId: 'user',
};
const INVALID_FIELD: ApiErrorEntry = {
  errorCode: 'INVALID_FIELD',
  message: "No such column 'Foo__c' on entity 'Opportunity'.",
  referenceId: 'deal',
};
const HALTED: ApiErrorEntry = {
  errorCode: 'PROCESSING_HALTED',
  message:
    'The transaction was rolled back since another operation in the same transaction failed.',
  referenceId: 'transition',
};

describe('SalesforceCallError kind', () => {
  it.each<[string, ApiErrorEntry[], FailureKind]>([
    ['a lock inside a trigger', [TRIGGER_LOCK], 'transient'],
    ['a trigger lock beside halted parts', [TRIGGER_LOCK, HALTED], 'transient'],
    ['a part lock beside halted parts', [PART_LOCK, HALTED], 'transient'],
    ['two part locks', [PART_LOCK, TRIGGER_LOCK], 'transient'],
    ['a CPU limit inside a trigger', [CPU_LIMIT], 'rejected'],
    ['a lock beside an invalid field', [PART_LOCK, INVALID_FIELD], 'rejected'],
    ['an invalid field beside a lock', [INVALID_FIELD, PART_LOCK], 'rejected'],
    ['a lock beside a CPU limit', [PART_LOCK, CPU_LIMIT], 'rejected'],
    ['only halted parts', [HALTED], 'rejected'],
    ['no errors', [], 'rejected'],
  ])('classifies %s', (_label, errors, kind) => {
    expect(new SalesforceCallError('call', errors).kind).toBe(kind);
  });

  it('classifies a trigger lock from jsforce', async () => {
    const error = await jsforceError(400, [
      { errorCode: TRIGGER_LOCK.errorCode, message: TRIGGER_LOCK.message },
    ]);
    expect(toCallError('update deal', error).kind).toBe('transient');
  });
});

describe('toGatewayError classification', () => {
  it('maps a trigger lock to RecordLockedError', () => {
    const failure = new SalesforceCallError('apply move', [TRIGGER_LOCK]);
    failure.attempts = 3;
    const mapped = toGatewayError('apply move', failure);
    expect(mapped).toBeInstanceOf(RecordLockedError);
    expect(mapped.message).toContain('kept failing after 2 retries');
  });

  it('keeps a lock beside a 503 unavailable', () => {
    const failure = new SalesforceCallError('read deal', [
      PART_LOCK,
      { errorCode: 'SERVER_UNAVAILABLE', message: 'Server is unavailable' },
    ]);
    const mapped = toGatewayError('read deal', failure);
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect(mapped).not.toBeInstanceOf(RecordLockedError);
  });

  it('maps a trigger CPU limit to OrgRejectedError', () => {
    const failure = new SalesforceCallError('apply move', [CPU_LIMIT]);
    const mapped = toGatewayError('apply move', failure);
    expect(mapped).toBeInstanceOf(OrgRejectedError);
    expect(mapped.message).toContain('Apex CPU time limit exceeded');
    expect((mapped as OrgRejectedError).fix).toContain('CPU time');
  });

  it('maps a lock beside an invalid field as rejected', () => {
    const failure = new SalesforceCallError('read deal', [
      PART_LOCK,
      INVALID_FIELD,
    ]);
    const mapped = toGatewayError('read deal', failure);
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect(mapped.message).toContain('the org rejected the call');
    expect(mapped.message).toContain('INVALID_FIELD');
    expect(mapped.message).not.toContain('try again later');
  });
});
