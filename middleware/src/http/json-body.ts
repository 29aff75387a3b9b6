import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HttpProblem, MAX_ECHOED_CHARS, problem } from './problem.js';
import type { Problem } from './problem.js';

const JSON_TYPES = ['application/json', 'application/*+json'];
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Tells whether the request carries a body. A body of unknown length (chunked)
 * counts as non-empty, because only reading it would show that it is empty.
 */
function hasNonEmptyBody(req: Request): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return req.headers['transfer-encoding'] !== undefined;
}

/**
 * Rejects a non-empty body that is not sent as JSON with 415, so a form or text body
 * is not read as a missing body. An empty body without a Content-Type passes, for
 * the calls whose body is optional.
 */
function requireJsonContentType(
  req: Request,
  _res: Response,
  next: NextFunction,
): void {
  if (!BODY_METHODS.has(req.method) || !hasNonEmptyBody(req)) {
    next();
    return;
  }
  if (req.is(JSON_TYPES)) {
    next();
    return;
  }
  const sent = req.get('content-type');
  next(
    new HttpProblem(
      'unsupported_media_type',
      sent
        ? `The request body is sent as ${sent.slice(0, MAX_ECHOED_CHARS)}, but this API reads only JSON.`
        : 'The request body has no Content-Type, but this API reads only JSON.',
      'Send Content-Type: application/json with a JSON object as the body.',
      { value: sent?.slice(0, MAX_ECHOED_CHARS) ?? null },
    ),
  );
}

/** Builds the `/v1` body handling: the 415 check, then express.json at 100 kB. */
export function jsonBody(): RequestHandler[] {
  return [
    requireJsonContentType,
    express.json({ limit: '100kb', type: JSON_TYPES }),
  ];
}

/**
 * Returns the JSON that a strict express.json rejected because it is not an object or
 * an array (such as `null` or `42`), or undefined when the body is not valid JSON.
 */
function parseNonObjectJson(error: object): { value: unknown } | undefined {
  const body = (error as { body?: unknown }).body;
  if (typeof body !== 'string') return undefined;
  try {
    return { value: JSON.parse(body) as unknown };
  } catch {
    return undefined;
  }
}

/**
 * Turns express.json's errors into problems: 400 for malformed JSON or JSON that is
 * not an object, 413 for a body over 100 kB.
 */
export function bodyParserProblem(
  error: unknown,
): { problem: Problem; expected: boolean } | null {
  if (!error || typeof error !== 'object' || !('type' in error)) return null;
  const type = (error as { type: unknown }).type;
  if (type === 'entity.parse.failed') {
    const parsed = parseNonObjectJson(error);
    if (parsed) {
      const echoed =
        typeof parsed.value === 'string'
          ? parsed.value.slice(0, MAX_ECHOED_CHARS)
          : parsed.value;
      return {
        problem: problem(
          'invalid_request',
          `The request body is JSON ${parsed.value === null ? 'null' : typeof parsed.value}, but it must be a JSON object.`,
          'Send a JSON object, such as {}, with Content-Type: application/json.',
          { value: echoed },
        ),
        expected: true,
      };
    }
    return {
      problem: problem(
        'invalid_request',
        'The request body is not valid JSON.',
        'Send a JSON object with Content-Type: application/json.',
      ),
      expected: true,
    };
  }
  if (type === 'entity.too.large') {
    return {
      problem: problem(
        'invalid_request',
        'The request body is larger than 100 kB.',
        'Send a smaller body.',
        { status: 413 },
      ),
      expected: true,
    };
  }
  return null;
}
