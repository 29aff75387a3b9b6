import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import {
  isSalesforceId,
  salesforceIdProblem,
  toId18,
} from '../domain/salesforce-id.js';
import type { Actor } from '../app/cosell-context.js';
import { echoHeader } from './echoed-text.js';
import { HttpProblem } from './problem.js';

export const ACTING_USER_HEADER = 'x-cosell-acting-user';
const BEARER_CHALLENGE = 'Bearer realm="cosell-stages"';

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Checks the bearer token in constant time and reads the acting user's Id. Hashing
 * both sides first gives equal lengths, so the comparison leaks neither content nor
 * length.
 */
export function authenticate(apiToken: string) {
  const expected = digest(apiToken);
  const callerId = digest(`caller:${apiToken}`).toString('hex').slice(0, 16);
  return (req: Request, _res: Response, next: NextFunction): void => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
      // RFC 6750, sections 3 and 3.1: a Bearer challenge needs at least one
      // parameter, and carries an error code only when a token was sent.
      const challenge = match?.[1]
        ? `${BEARER_CHALLENGE}, error="invalid_token"`
        : BEARER_CHALLENGE;
      next(
        new HttpProblem(
          'unauthenticated',
          header
            ? 'The bearer token is not valid.'
            : 'The Authorization header is missing.',
          'Send `Authorization: Bearer <COSELL_API_TOKEN>`.',
          {},
          { 'WWW-Authenticate': challenge },
        ),
      );
      return;
    }
    const actingUser = req.get(ACTING_USER_HEADER);
    if (!actingUser) {
      next(
        new HttpProblem(
          'invalid_request',
          'The X-Cosell-Acting-User header is missing.',
          'Send the Salesforce Id of the user the call acts for in X-Cosell-Acting-User.',
          { value: null },
        ),
      );
      return;
    }
    if (!isSalesforceId(actingUser)) {
      // Bytes outside U+0020 to U+007E show as \xHH, as for Idempotency-Key.
      const echoedUser = echoHeader(actingUser);
      next(
        new HttpProblem(
          'invalid_id',
          `X-Cosell-Acting-User "${echoedUser.text}" ${salesforceIdProblem(actingUser)}.${echoedUser.note}`,
          'Send a User Id such as 005000000000001AAA.',
          { value: echoedUser.text },
        ),
      );
      return;
    }
    req.actor = { callerId, userId: toId18(actingUser) };
    next();
  };
}
