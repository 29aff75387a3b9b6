import { z } from 'zod';
import { SalesforceCallError } from './api-error.js';

/** The error code of a response that is not the shape its call expects. */
export const MALFORMED_RESPONSE = 'MALFORMED_RESPONSE';

/** A record as the REST API returns it: a JSON object, never an array. */
export const SOBJECT_RECORD = z.record(z.string(), z.unknown());

/** A SOQL result page, whose `records` array is present even when empty. */
export const QUERY_PAGE = z.object({
  totalSize: z.number(),
  done: z.boolean(),
  nextRecordsUrl: z.string().optional(),
  records: z.array(SOBJECT_RECORD),
});

/** The body of `POST /composite`: one sub-response per subrequest. */
export const COMPOSITE_RESPONSE = z.object({
  compositeResponse: z.array(
    z.object({
      body: z.unknown(),
      httpStatusCode: z.number().int(),
      referenceId: z.string(),
    }),
  ),
});

/** The body of an sObject Collections call: one result per record. */
export const COLLECTION_RESULTS = z.array(
  z.object({
    id: z.string().nullish(),
    success: z.boolean(),
    errors: z.array(z.record(z.string(), z.unknown())),
  }),
);

/** The parts of a Bulk API 2.0 query job's info that the poll reads. */
export const JOB_INFO = z.object({ id: z.string(), state: z.string() });

/**
 * Checks that a response of the org matches `schema` and returns it unchanged,
 * typed as `T`. Otherwise raises a `malformed` `SalesforceCallError` that names
 * the call, the part of the response (`part`, such as "the composite response")
 * and the first mismatch. The message never quotes the body, because a body
 * contains record data, and a proxy's error page may contain anything.
 *
 * jsforce 3 returns the raw text when a body does not parse as its content type,
 * so an HTML error page or truncated JSON arrives here as a string.
 */
export function checkResponse<T>(
  operation: string,
  part: string,
  schema: z.ZodType,
  body: unknown,
): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return body as T;
  throw malformedResponse(
    operation,
    `${part} ${describeMismatch(body, parsed.error)}`,
  );
}

/** Builds the error of a response that is not the shape `operation` expects. */
export function malformedResponse(
  operation: string,
  problem: string,
): SalesforceCallError {
  return new SalesforceCallError(
    operation,
    [
      {
        errorCode: MALFORMED_RESPONSE,
        message: `the org's response is malformed: ${problem}`,
      },
    ],
    { kind: 'malformed' },
  );
}

function describeMismatch(body: unknown, error: z.ZodError): string {
  if (typeof body === 'string') {
    return `is not JSON (${body.length} characters of text)`;
  }
  if (body === undefined || body === null) return 'is empty';
  const [issue] = error.issues;
  if (!issue) return 'does not match the expected shape';
  const path = issue.path.length > 0 ? ` at ${formatPath(issue.path)}` : '';
  return `does not match the expected shape${path}: ${issue.message}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) =>
      typeof key === 'number'
        ? `[${key}]`
        : `${index === 0 ? '' : '.'}${String(key)}`,
    )
    .join('');
}

/**
 * Raises a `malformed` error unless `record` has a key for the first part of
 * each selected path. The REST API returns every selected field, `null` when
 * blank, and a lookup or child relationship as `null` or its records, so a
 * missing key means the response was cut or rewritten, not that the value is
 * blank. Keys are compared ignoring case, because the org returns its own
 * spelling of a name that the query spelled otherwise.
 */
export function checkSelectedFields(
  operation: string,
  part: string,
  record: Record<string, unknown>,
  paths: readonly string[],
): void {
  const keys = new Set(Object.keys(record).map((key) => key.toLowerCase()));
  const missing = [
    ...new Set(paths.map((path) => path.split('.')[0] ?? path)),
  ].filter((name) => !keys.has(name.toLowerCase()));
  if (missing.length > 0) {
    throw malformedResponse(
      operation,
      `${part} has no ${missing.join(', ')}, although the query selects ${missing.length === 1 ? 'it' : 'them'}`,
    );
  }
}
