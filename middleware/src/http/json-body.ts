import { isUtf8 } from 'node:buffer';
import zlib from 'node:zlib';
import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { jsonSyntaxDetail } from '../domain/json-syntax.js';
import { byteAt, firstInvalidOffset } from '../domain/utf8-bytes.js';
import { echoHeader, echoText } from './echoed-text.js';
import { HttpProblem, problem, toProblem } from './problem.js';
import type { Problem } from './problem.js';

const JSON_TYPES = ['application/json', 'application/*+json'];
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The Content-Encodings express.json decodes (body-parser 2.4): zstd only where
 * the Node.js zlib module has `createZstdDecompress`, which Node.js 20 lacks.
 */
const ACCEPTED_ENCODINGS = [
  'gzip',
  'deflate',
  'br',
  ...('createZstdDecompress' in zlib ? ['zstd'] : []),
];

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
  const echoed = sent === undefined ? undefined : echoHeader(sent);
  next(
    new HttpProblem(
      'unsupported_media_type',
      echoed
        ? `The request body is sent as ${echoed.text}, but this API reads only JSON.${echoed.note}`
        : 'The request body has no Content-Type, but this API reads only JSON.',
      'Send Content-Type: application/json with a JSON object as the body.',
      { value: echoed?.text ?? null },
    ),
  );
}

/**
 * Rejects a UTF-8 body with bytes that are not UTF-8, such as Windows-1252's é,
 * which express.json would otherwise read as U+FFFD and store.
 */
function rejectInvalidUtf8(
  _req: Request,
  _res: Response,
  body: Buffer,
  encoding: string,
): void {
  if (!/^utf-?8$/i.test(encoding) || isUtf8(body)) return;
  const offset = firstInvalidOffset(body);
  const hex = byteAt(body, offset);
  throw new HttpProblem(
    'invalid_request',
    `The request body is not valid UTF-8: byte ${offset + 1} is ${hex}, which does not form a UTF-8 character there.`,
    'Encode the JSON body as UTF-8, as JSON.stringify and fetch do.',
    { value: hex },
  );
}

/**
 * Turns a failure to decompress a request body into a 400 problem that names
 * the Content-Encoding, or returns undefined for any other error. express.json
 * (body-parser 2.4, raw-body 3.0) sets a `type` on the errors it raises itself.
 * So an untyped error of a body with a Content-Encoding comes from the
 * decompression stream, with a zlib code such as Z_DATA_ERROR or a brotli code
 * such as ERR__ERROR_FORMAT_PADDING_1.
 */
function decompressionProblem(
  error: unknown,
  req: Request,
): HttpProblem | undefined {
  if (!(error instanceof Error) || 'type' in error) return undefined;
  const encoding = (req.get('content-encoding') ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding === 'identity') return undefined;
  const code = (error as { code?: unknown }).code;
  const cause =
    typeof code === 'string' ? `${error.message} (${code})` : error.message;
  const echoed = echoHeader(encoding);
  return new HttpProblem(
    'invalid_request',
    `The request body could not be decoded as its Content-Encoding ${echoed.text} says: ${cause}.${echoed.note}`,
    `Send the body compressed with ${echoed.text}, or uncompressed without a Content-Encoding header.`,
    { value: echoed.text },
  );
}

/** Builds the `/v1` body handling: the 415 check, then express.json at 100 kB. */
export function jsonBody(): RequestHandler[] {
  const parseJson = express.json({
    limit: '100kb',
    type: JSON_TYPES,
    verify: rejectInvalidUtf8,
  });
  const parseJsonBody: RequestHandler = (req, res, next) => {
    parseJson(req, res, (error?: unknown) => {
      if (error === undefined) {
        next();
        return;
      }
      next(decompressionProblem(error, req) ?? error);
    });
  };
  return [requireJsonContentType, parseJsonBody];
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
 * not an object, 413 for a body over 100 kB, and the read errors of `readProblem`.
 */
export function bodyParserProblem(
  error: unknown,
): { problem: Problem; expected: boolean } | null {
  if (!error || typeof error !== 'object') return null;
  const type = (error as { type?: unknown }).type;
  if (type === 'entity.parse.failed') {
    const parsed = parseNonObjectJson(error);
    if (parsed) {
      const echoed =
        typeof parsed.value === 'string' ? echoText(parsed.value) : undefined;
      return {
        problem: problem(
          'invalid_request',
          `The request body is JSON ${parsed.value === null ? 'null' : typeof parsed.value}, but it must be a JSON object.${echoed?.note ?? ''}`,
          'Send a JSON object, such as {}, with Content-Type: application/json.',
          { value: echoed ? echoed.text : parsed.value },
        ),
        expected: true,
      };
    }
    const body = (error as { body?: unknown }).body;
    const where =
      typeof body === 'string'
        ? ` (${jsonSyntaxDetail(error, body, 'the body')})`
        : '';
    return {
      problem: problem(
        'invalid_request',
        `The request body is not valid JSON${where}.`,
        'Send a JSON object with Content-Type: application/json.',
      ),
      expected: true,
    };
  }
  if (type === 'entity.verify.failed' && error instanceof HttpProblem) {
    return { problem: toProblem(error).problem, expected: true };
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
  return readProblem(error, type);
}

/**
 * Turns the other errors of reading a body into problems: 415 for a charset or a
 * Content-Encoding express.json cannot decode, 400 for a body that does not match
 * its Content-Length, or that the client stopped sending.
 */
function readProblem(
  error: object,
  type: unknown,
): { problem: Problem; expected: boolean } | null {
  if (type === 'charset.unsupported') {
    const charset = echoHeader(
      String((error as { charset?: unknown }).charset ?? ''),
    );
    return {
      problem: problem(
        'unsupported_media_type',
        `The request body's charset "${charset.text}" is not supported.${charset.note}`,
        'Send the JSON body in UTF-8, with Content-Type: application/json.',
        { value: charset.text },
      ),
      expected: true,
    };
  }
  if (type === 'encoding.unsupported') {
    // body-parser sets `encoding` to the lower-cased Content-Encoding header.
    const encoding = echoHeader(
      String((error as { encoding?: unknown }).encoding ?? ''),
    );
    const accepted = ACCEPTED_ENCODINGS.join(', ');
    // A list such as "gzip, br" means the body was compressed twice.
    const layered = encoding.text.includes(',')
      ? ' It decodes one encoding only, not a list of them.'
      : '';
    return {
      problem: problem(
        'unsupported_media_type',
        `The request body has Content-Encoding "${encoding.text}", which this API does not decode; it decodes ${accepted}.${layered}${encoding.note}`,
        `Send the body uncompressed without a Content-Encoding header, or compressed with one of: ${accepted}.`,
        { value: encoding.text },
      ),
      expected: true,
    };
  }
  // decompressionProblem in jsonBody handles a body that does not decompress.
  if (type !== 'request.aborted' && type !== 'request.size.invalid') {
    return null;
  }
  const detail =
    type === 'request.aborted'
      ? 'The client closed the connection before the request body arrived.'
      : 'The request body is not as long as its Content-Length says.';
  return {
    problem: problem(
      'invalid_request',
      detail,
      'Send the whole body, with a Content-Length that matches it.',
    ),
    expected: true,
  };
}
