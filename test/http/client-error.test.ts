import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { handleClientErrors } from '../../middleware/src/http/client-error.js';
import { startServer } from '../../middleware/src/server.js';
import type { RunningServer } from '../../middleware/src/server.js';
import { logLineStream } from '../helpers/log-lines.js';

const TOKEN = 'client-error-token-0123456789abcdef0123456789';
let dir: string;
let running: RunningServer;
let port: number;
const logLines: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cosell-client-error-'));
  running = await startServer(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      COSELL_DB_PATH: path.join(dir, 'cosell.db'),
      COSELL_API_TOKEN: TOKEN,
      COSELL_SEED_DEMO: 'false',
      COSELL_EXPIRY_SWEEP_SECONDS: '0',
    },
    pino(
      { level: 'info' },
      logLineStream((line) => logLines.push(line)),
    ),
  );
  port = (running.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await running.close();
  rmSync(dir, { recursive: true, force: true });
});

interface RawResponse {
  statusLine: string;
  headers: Map<string, string>;
  body: string;
}

/** Sends raw bytes on a new connection and reads until the server closes it. */
function sendRaw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.write(request);
  });
}

function parseResponse(text: string): RawResponse {
  const split = text.indexOf('\r\n\r\n');
  const [statusLine = '', ...headerLines] = text.slice(0, split).split('\r\n');
  const headers = new Map(
    headerLines.map((line) => {
      const colon = line.indexOf(':');
      return [
        line.slice(0, colon).toLowerCase(),
        line.slice(colon + 1).trim(),
      ] as const;
    }),
  );
  return { statusLine, headers, body: text.slice(split + 4) };
}

describe('errors Node.js raises before routing', () => {
  const padding = 'p'.repeat(20_000);
  const cases = [
    {
      what: 'headers too large',
      request:
        'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        `Authorization: Bearer ${TOKEN}\r\nX-Padding: ${padding}\r\n\r\n`,
      status: 431,
      code: 'header_fields_too_large',
      errorCode: 'HPE_HEADER_OVERFLOW',
    },
    {
      what: 'chunk extensions too large',
      request:
        // A route that reads the body, so no response has started when parsing fails.
        'POST /v1/deals/006000000000001AAA/stage-requests HTTP/1.1\r\n' +
        `Host: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n` +
        'X-Cosell-Acting-User: 005000000000001AAA\r\n' +
        'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n' +
        `1;ext=${'e'.repeat(20_000)}\r\nx\r\n0\r\n\r\n`,
      status: 413,
      code: 'chunk_extensions_too_large',
      errorCode: 'HPE_CHUNK_EXTENSIONS_OVERFLOW',
    },
    {
      what: 'an invalid method',
      request: `BR0KEN /healthz HTTP/1.1\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`,
      status: 400,
      code: 'malformed_http_request',
      errorCode: 'HPE_INVALID_METHOD',
    },
    {
      what: 'a header without a colon',
      request: `GET /healthz HTTP/1.1\r\nAuthorization: Bearer ${TOKEN}\r\nHost 127.0.0.1\r\n\r\n`,
      status: 400,
      code: 'malformed_http_request',
      errorCode: 'HPE_INVALID_HEADER_TOKEN',
    },
  ];

  it.each(cases)(
    'sends problem+json for $what',
    async ({ request, status, code, errorCode }) => {
      const response = parseResponse(await sendRaw(request));
      expect(response.statusLine).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
      expect(response.headers.get('content-type')).toBe(
        'application/problem+json',
      );
      expect(response.headers.get('connection')).toBe('close');
      expect(Number(response.headers.get('content-length'))).toBe(
        Buffer.byteLength(response.body),
      );
      const problem = JSON.parse(response.body);
      expect(problem.status).toBe(status);
      expect(problem.code).toBe(code);
      expect(problem.detail).toContain(
        status === 400 ? `(${errorCode})` : 'larger than',
      );
      expect(problem.fix).toMatch(/^Send /);
    },
  );

  it('logs the error code without any header', async () => {
    logLines.length = 0;
    await sendRaw(cases[0]!.request);
    const rejected = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry['errorCode'] === 'HPE_HEADER_OVERFLOW');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.['level']).toBe(40);
    expect(rejected[0]?.['status']).toBe(431);
    expect(logLines.join('\n')).not.toContain(TOKEN);
    expect(logLines.join('\n')).not.toContain('ppppp');
  });
});

describe('connections Node.js writes nothing to', () => {
  /** Connects, and returns both ends once the server has accepted the connection. */
  async function connectionPair(): Promise<{
    client: Socket;
    serverSide: Socket;
    received: () => string;
    closed: Promise<void>;
  }> {
    const accepted = new Promise<Socket>((resolve) =>
      running.server.once('connection', resolve),
    );
    const client = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    client.on('data', (chunk: Buffer) => chunks.push(chunk));
    client.on('error', () => undefined);
    const closed = new Promise<void>((resolve) =>
      client.on('close', () => resolve()),
    );
    const serverSide = await accepted;
    return {
      client,
      serverSide,
      received: () => Buffer.concat(chunks).toString('utf8'),
      closed,
    };
  }

  it.each([
    { what: 'a reset connection', errorCode: 'ECONNRESET', ended: false },
    {
      what: 'an ended connection',
      errorCode: 'HPE_INVALID_METHOD',
      ended: true,
    },
  ])('destroys $what without writing', async ({ errorCode, ended }) => {
    const { serverSide, received, closed } = await connectionPair();
    if (ended) serverSide.end();
    const error = Object.assign(new Error(errorCode), { code: errorCode });
    running.server.emit('clientError', error, serverSide);
    await closed;
    expect(serverSide.destroyed).toBe(true);
    expect(received()).toBe('');
  });
});

describe('a request that times out', () => {
  it('sends problem+json with 408', async () => {
    const server = createServer(
      {
        headersTimeout: 200,
        requestTimeout: 300,
        connectionsCheckingInterval: 50,
      },
      (_req, res) => res.end(),
    );
    handleClientErrors(server, pino({ level: 'silent' }));
    await new Promise<void>((resolve) =>
      server.listen(0, '127.0.0.1', resolve),
    );
    try {
      const socket = connect(
        (server.address() as AddressInfo).port,
        '127.0.0.1',
      );
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      const closed = new Promise<void>((resolve) =>
        socket.on('close', () => resolve()),
      );
      // The headers never end, so the server's timeout check fires.
      socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      await closed;

      const response = parseResponse(Buffer.concat(chunks).toString('utf8'));
      expect(response.statusLine).toBe('HTTP/1.1 408 Request Timeout');
      const problem = JSON.parse(response.body);
      expect(problem.code).toBe('request_timeout');
      expect(problem.detail).toContain('0.2 seconds for the headers');
      expect(problem.detail).toContain('0.3 seconds for the whole request');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
