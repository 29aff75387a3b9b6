import pRetry from 'p-retry';
import type { Logger } from 'pino';
import { errorEntries, SalesforceCallError, toCallError } from './api-error.js';
import type { SalesforceCallSettings } from './config.js';
import { TokenRequestError } from './jwt-bearer.js';

/** An HTTP request as jsforce's `Connection.request` takes it. */
export interface ConnectionRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path from the instance root, such as `/services/data/v62.0/composite`. */
  url: string;
  body?: string;
  headers?: Record<string, string>;
}

/**
 * The part of jsforce's `Connection` the gateway uses. Both `jsforce` 3 and
 * `@jsforce/jsforce-node` (the org connection `@salesforce/core` hands an sf
 * command) have it, so a command can pass its own connection in.
 */
export interface SalesforceConnection {
  instanceUrl: string;
  accessToken?: string | null;
  version: string;
  request<R = unknown>(
    request: string | ConnectionRequest,
    options?: object,
  ): PromiseLike<R>;
}

/** Gets a new access token, as the JWT bearer flow does. */
export interface TokenSource {
  requestToken(): Promise<{ accessToken: string; instanceUrl: string }>;
}

export interface SalesforceApiOptions {
  settings: SalesforceCallSettings;
  logger: Logger;
  /** Renews an expired session; without one, an expired session fails the call. */
  tokenSource?: TokenSource;
}

/**
 * The one boundary between the gateway and the org. Every call goes through
 * `send` (one HTTP call through the connection, with one new token and one retry
 * when the session expired) and reads go through `retrying` (bounded retries with
 * backoff and jitter for row locks, 503s and timeouts). Every failure is raised as
 * a `SalesforceCallError` that lists every error Salesforce returned.
 */
export class SalesforceApi {
  /** HTTP calls sent to the org's data API since start, retries included. */
  callsSent = 0;
  /** Access tokens requested since start, the first one excluded. */
  tokensRenewed = 0;
  private renewal: Promise<void> | null = null;

  constructor(
    readonly connection: SalesforceConnection,
    private readonly options: SalesforceApiOptions,
  ) {}

  get settings(): SalesforceCallSettings {
    return this.options.settings;
  }

  get logger(): Logger {
    return this.options.logger;
  }

  /** `/services/data/vXX.X` of the pinned API version. */
  get dataPath(): string {
    return `/services/data/v${this.options.settings.apiVersion}`;
  }

  /** Sends one JSON request; a path without a leading `/services` is under `dataPath`. */
  async send<T>(operation: string, request: ConnectionRequest): Promise<T> {
    const url = request.url.startsWith('/services')
      ? request.url
      : `${this.dataPath}${request.url}`;
    const full: ConnectionRequest = {
      ...request,
      url,
      headers: {
        ...(request.body !== undefined
          ? { 'Content-Type': 'application/json' }
          : {}),
        ...request.headers,
      },
    };
    return this.withSession(operation, async () => {
      this.callsSent += 1;
      // jsforce's own retries are off, so this class's policy is the only one.
      return (await this.connection.request<T>(full, {
        timeout: this.options.settings.timeoutMs,
        retry: { maxRetries: 0 },
      })) as T;
    });
  }

  /**
   * Sends a GET with `fetch` through the connection's instance URL and token and
   * returns the body as text with the response headers, for responses jsforce
   * would parse (Bulk API CSV pages with their `Sforce-Locator` header). The
   * timeout covers the whole exchange, body included.
   */
  async fetchText(
    operation: string,
    path: string,
    accept: string,
  ): Promise<{ text: string; headers: Headers }> {
    return this.withSession(operation, async () => {
      this.callsSent += 1;
      const signal = AbortSignal.timeout(this.settings.timeoutMs);
      let response: Response;
      let text: string;
      try {
        response = await fetch(`${this.connection.instanceUrl}${path}`, {
          headers: {
            Authorization: `Bearer ${this.connection.accessToken ?? ''}`,
            Accept: accept,
          },
          signal,
        });
        text = await response.text();
      } catch (error) {
        throw toCallError(operation, signal.aborted ? signal.reason : error);
      }
      if (response.ok) return { text, headers: response.headers };
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: the status alone describes the failure.
      }
      const entries = errorEntries(body);
      throw new SalesforceCallError(
        operation,
        entries.length > 0
          ? entries
          : [{ errorCode: `ERROR_HTTP_${response.status}`, message: text }],
        { status: response.status },
      );
    });
  }

  /**
   * Runs `attempt` until it succeeds, retrying `transient` and `uncertain` failures
   * up to the configured number of times with exponential backoff and jitter.
   * Rejections and the daily limit fail at once. `onFailure` receives every failed
   * attempt first, so a write can note that an attempt may have been applied.
   */
  async retrying<T>(
    operation: string,
    attempt: () => Promise<T>,
    onFailure?: (error: SalesforceCallError) => void,
  ): Promise<T> {
    const { maxRetries, retryMinMs, retryMaxMs } = this.options.settings;
    return pRetry(
      async () => {
        try {
          return await attempt();
        } catch (error) {
          throw toCallError(operation, error);
        }
      },
      {
        retries: maxRetries,
        minTimeout: retryMinMs,
        maxTimeout: retryMaxMs,
        factor: 2,
        randomize: true,
        onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
          const failure = toCallError(operation, error);
          failure.attempts = attemptNumber;
          onFailure?.(failure);
          const retry = isRetryable(failure) && retriesLeft > 0;
          const log = {
            operation,
            attempt: attemptNumber,
            kind: failure.kind,
            errorCodes: failure.errors.map((entry) => entry.errorCode),
            retriesLeft,
          };
          if (retry) {
            this.logger.warn(log, 'Salesforce call failed; retrying');
          } else if (failure.kind === 'limit') {
            this.logger.error(
              log,
              'Salesforce daily API request limit exceeded; not retrying',
            );
          }
        },
        shouldRetry: ({ error }) => isRetryable(toCallError(operation, error)),
      },
    );
  }

  /** Sends a read with retries: `send` inside `retrying`. */
  read<T>(operation: string, request: ConnectionRequest): Promise<T> {
    return this.retrying(operation, () => this.send<T>(operation, request));
  }

  /**
   * Runs one call. When the session expired and a token source is configured, gets
   * one new token (shared by calls that fail together) and runs the call once more.
   */
  private async withSession<T>(
    operation: string,
    call: () => Promise<T>,
  ): Promise<T> {
    const tokenBefore = this.connection.accessToken;
    try {
      return await call();
    } catch (error) {
      const failure = toCallError(operation, error);
      if (failure.kind !== 'session' || !this.options.tokenSource) {
        throw failure;
      }
      await this.renewSession(operation, tokenBefore);
      try {
        return await call();
      } catch (second) {
        throw toCallError(operation, second);
      }
    }
  }

  private async renewSession(
    operation: string,
    expiredToken: string | null | undefined,
  ): Promise<void> {
    const source = this.options.tokenSource;
    if (!source) return;
    // Another call renewed the token since this one was sent: use that token.
    if (this.connection.accessToken !== expiredToken) return;
    this.renewal ??= (async () => {
      this.logger.info(
        { operation },
        'Salesforce session expired; requesting a new access token',
      );
      try {
        const token = await source.requestToken();
        this.connection.accessToken = token.accessToken;
        this.tokensRenewed += 1;
      } catch (error) {
        // A rejected token request needs an admin, like a rejected session, so
        // it is not retried. A token endpoint that did not respond may respond
        // to a retry.
        throw new SalesforceCallError(
          operation,
          [
            {
              errorCode: 'SESSION_RENEWAL_FAILED',
              message: `the session expired and a new token could not be had: ${error instanceof Error ? error.message : String(error)}`,
            },
          ],
          {
            kind: error instanceof TokenRequestError ? 'session' : 'transient',
            cause: error,
          },
        );
      } finally {
        this.renewal = null;
      }
    })();
    await this.renewal;
  }
}

function isRetryable(error: SalesforceCallError): boolean {
  return error.kind === 'transient' || error.kind === 'uncertain';
}
