/**
 * A report could not be written: a cell value does not fit its column's type, or
 * a report name or format is unknown. `code` is stable for API problems, and `fix`
 * states what the caller should do next.
 */
export class ReportError extends Error {
  constructor(
    readonly code:
      | 'invalid_report_value'
      | 'unknown_report'
      | 'unsupported_format',
    message: string,
    readonly fix: string,
    readonly value?: unknown,
  ) {
    super(message);
    this.name = 'ReportError';
  }
}
