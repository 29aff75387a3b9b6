/**
 * A rule of the co-sell workflow was broken. `code` is the stable error code the API
 * returns; `fix` tells the caller what to do next.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fix: string,
    readonly details: {
      value?: unknown;
      unmet?: unknown[];
      pendingRequestId?: string;
    } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
