/** One entry of Salesforce's REST error body, which is always an array of these. */
export interface ApiErrorEntry {
  message: string;
  errorCode: string;
  fields?: string[];
}

/**
 * A failed REST call as Salesforce reports it: an HTTP status and the body
 * `[{ message, errorCode, fields? }]`. Handlers throw it; the server and the
 * composite runner turn it into a response.
 */
export class SalesforceApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
    this.name = 'SalesforceApiError';
  }

  toBody(): ApiErrorEntry[] {
    const entry: ApiErrorEntry = {
      message: this.message,
      errorCode: this.errorCode,
    };
    if (this.fields !== undefined) entry.fields = this.fields;
    return [entry];
  }
}

/** The response a route returns: JSON by default, or `text` with its own type. */
export interface ApiResponse {
  status: number;
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export function notFound(): SalesforceApiError {
  return new SalesforceApiError(
    404,
    'NOT_FOUND',
    'The requested resource does not exist',
  );
}

export function jsonParserError(message: string): SalesforceApiError {
  return new SalesforceApiError(400, 'JSON_PARSER_ERROR', message);
}

/** The message Salesforce gives for an unknown field name in a write or a query. */
export function noSuchColumnMessage(field: string, objectName: string): string {
  return (
    `No such column '${field}' on entity '${objectName}'. If you are attempting to use a custom field, ` +
    `be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`
  );
}

export function unsupportedObjectMessage(objectName: string): string {
  return (
    `sObject type '${objectName}' is not supported. If you are attempting to use a custom object, ` +
    `be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`
  );
}

/** Salesforce's answer when a record stayed locked by another transaction for too long. */
export function lockError(recordId?: string): SalesforceApiError {
  return new SalesforceApiError(
    400,
    'UNABLE_TO_LOCK_ROW',
    recordId
      ? `unable to obtain exclusive access to this record or 1 records: ${recordId}`
      : 'unable to obtain exclusive access to this record',
    [],
  );
}
