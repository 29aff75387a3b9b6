import { maxHeaderSize } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { problem } from './problem.js';
import type { Problem } from './problem.js';

/** Maximum log lines about client errors per minute; the rest are counted. */
const MAX_LOG_LINES_PER_MINUTE = 10;

/**
 * Builds the problem for an error that Node.js's HTTP parser or its request
 * timeout raised before express saw a request. The codes are those of Node.js
 * 20's `socketOnError` (lib/_http_server.js), which sends the same statuses
 * without a body.
 */
function clientErrorProblem(
  errorCode: string | undefined,
  server: Server,
): Problem {
  switch (errorCode) {
    case 'HPE_HEADER_OVERFLOW':
      return problem(
        'header_fields_too_large',
        `The request headers are larger than the ${maxHeaderSize} bytes this server accepts.`,
        'Send fewer or shorter headers, such as smaller cookies.',
      );
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return problem(
        'chunk_extensions_too_large',
        'The chunk extensions of the request body are larger than this server accepts.',
        'Send the body without chunk extensions.',
      );
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return problem(
        'request_timeout',
        `The request did not arrive in time: this server waits at least ${server.headersTimeout / 1000} seconds for the headers and ${server.requestTimeout / 1000} seconds for the whole request.`,
        'Send the whole request at once, then retry on a new connection.',
      );
    default:
      return problem(
        'malformed_http_request',
        `The request is not valid HTTP/1.1 (${errorCode ?? 'parse error'}).`,
        'Send a well-formed HTTP/1.1 request: a request line, CRLF-terminated headers and a body that matches Content-Length or chunked encoding.',
      );
  }
}

/** Serialises a problem as a whole HTTP/1.1 response that closes the connection. */
function responseText(body: Problem): string {
  const json = JSON.stringify(body);
  return [
    `HTTP/1.1 ${body.status} ${body.title}`,
    'Content-Type: application/problem+json',
    `Content-Length: ${Buffer.byteLength(json)}`,
    'X-Content-Type-Options: nosniff',
    'Connection: close',
    '',
    json,
  ].join('\r\n');
}

/**
 * Handles the server's `clientError` event, which Node.js emits for headers too
 * large, a malformed request or a request timeout before express receives a request.
 * It sends a problem+json body with `Connection: close` in place of Node's bare
 * status line. Where Node.js would send nothing, because the socket is no longer
 * writable (ECONNRESET) or a response on it has started, it only destroys the
 * socket, as Node.js does. The log line names the error code, never a header.
 */
export function handleClientErrors(server: Server, logger: Logger): void {
  let windowStart = Date.now();
  let logged = 0;
  let suppressed = 0;

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // `_httpMessage` is the response being written on this connection. Node.js's
    // own handler checks it the same way, because a status line written after
    // part of a response would corrupt what the client reads.
    const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse })
      ._httpMessage;
    if (
      error.code === 'ECONNRESET' ||
      !socket.writable ||
      inFlight?.headersSent
    ) {
      socket.destroy(error);
      return;
    }
    const body = clientErrorProblem(error.code, server);

    const now = Date.now();
    if (now - windowStart >= 60_000) {
      windowStart = now;
      logged = 0;
    }
    if (logged < MAX_LOG_LINES_PER_MINUTE) {
      logged += 1;
      logger.warn(
        {
          errorCode: error.code,
          status: body.status,
          ...(suppressed > 0 ? { suppressedSinceLastLine: suppressed } : {}),
        },
        'rejected a request that failed HTTP parsing or timed out',
      );
      suppressed = 0;
    } else {
      suppressed += 1;
    }

    socket.end(responseText(body), () => socket.destroy());
  });
}
