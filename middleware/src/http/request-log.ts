import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';

/** The key of `res.locals` that contains the `code` of the problem sent. */
const PROBLEM_CODE = 'problemCode';

/** Records the problem code of a response for its request log line. */
export function recordProblemCode(res: Response, code: string): void {
  res.locals[PROBLEM_CODE] = code;
}

/**
 * Adds the acting user's Id and the problem code to pino-http's completion line
 * (`val`). Each is added only when known: the user once authentication has
 * passed, and the code when the error handler sent a problem. pino-http calls
 * this once per request as its `customSuccessObject` and `customErrorObject`, so
 * unlike `customProps` it builds no child logger.
 */
export function completionFields(
  req: IncomingMessage,
  res: ServerResponse,
  val: Record<string, unknown>,
): Record<string, unknown> {
  const userId = (req as Request).actor?.userId;
  const code: unknown = (res as Response).locals?.[PROBLEM_CODE];
  return {
    ...val,
    ...(userId ? { userId } : {}),
    ...(typeof code === 'string' ? { problemCode: code } : {}),
  };
}
