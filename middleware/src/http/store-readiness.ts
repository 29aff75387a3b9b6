import type { Logger } from 'pino';
import { GatewayError } from '../org/errors.js';

/**
 * How long a passed readiness check is reused. A probe every second would
 * otherwise cost an org one API call per second per replica, and a /v1 call
 * that finds the store unavailable replaces the result at once.
 */
export const READY_REUSE_MS = 10_000;
/** How long a failed check or failed store call is reused before the next check. */
export const NOT_READY_REUSE_MS = 2_000;
/** Time limit of one readiness check, far below a probe's usual timeout. */
export const READINESS_TIMEOUT_MS = 2_000;

/** The store did not pass the readiness check, with the reason for /readyz. */
export class StoreNotReadyError extends Error {
  constructor(
    message: string,
    readonly since: Date,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreNotReadyError';
  }
}

export interface StoreReadinessOptions {
  /** One cheap call to the store that throws when the store is unavailable. */
  check: () => Promise<void>;
  logger: Logger;
  timeoutMs?: number;
  now?: () => number;
}

interface CheckResult {
  error: StoreNotReadyError | null;
  at: number;
}

/**
 * Tracks whether the store of record responds, for /readyz. The result of the
 * last check, or the last store call that failed as unavailable, is reused for
 * `READY_REUSE_MS` when ready and `NOT_READY_REUSE_MS` when not, so probes do
 * not each call the org. Concurrent probes share one check.
 */
export class StoreReadiness {
  private last: CheckResult | undefined;
  private running: Promise<CheckResult> | undefined;
  private readonly now: () => number;
  private readonly timeoutMs: number;

  constructor(private readonly options: StoreReadinessOptions) {
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? READINESS_TIMEOUT_MS;
  }

  /**
   * Marks the store as not ready after a store call failed as unavailable, so
   * /readyz reports it without a call of its own. The detail names the error's
   * code only, because /readyz needs no token and the org's errors may name
   * its host or records.
   */
  recordUnavailable(error: unknown): void {
    const at = this.now();
    const code =
      error instanceof GatewayError ? error.code : 'store_unavailable';
    this.update({
      error: new StoreNotReadyError(
        `A call to the store of record failed at ${new Date(at).toISOString()} with the error ${code}.`,
        new Date(at),
        { cause: error },
      ),
      at,
    });
  }

  /** Resolves when the store is ready; throws `StoreNotReadyError` when not. */
  async requireReady(): Promise<void> {
    const last = this.last;
    const reuseMs = last?.error ? NOT_READY_REUSE_MS : READY_REUSE_MS;
    const result =
      last !== undefined && this.now() - last.at < reuseMs
        ? last
        : await this.checkOnce();
    if (result.error) throw result.error;
  }

  private checkOnce(): Promise<CheckResult> {
    this.running ??= this.runCheck().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runCheck(): Promise<CheckResult> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
      timer.unref();
    });
    let result: CheckResult;
    try {
      const outcome = await Promise.race([this.options.check(), timedOut]);
      const at = this.now();
      result =
        outcome === 'timeout'
          ? {
              error: new StoreNotReadyError(
                `The store of record did not respond to a readiness check within ${this.timeoutMs} ms.`,
                new Date(at),
              ),
              at,
            }
          : { error: null, at };
    } catch (error) {
      const at = this.now();
      result = {
        error: new StoreNotReadyError(
          `The store of record failed a readiness check (${error instanceof Error ? error.name : 'unknown error'}).`,
          new Date(at),
          { cause: error },
        ),
        at,
      };
    } finally {
      clearTimeout(timer);
    }
    this.update(result);
    return result;
  }

  /**
   * Stores `result` and logs a change between ready and not ready once. The
   * line has the reason and the error that caused it as separate fields, so
   * that the log's error message does not run the two together.
   */
  private update(result: CheckResult): void {
    const wasReady = this.last === undefined || this.last.error === null;
    this.last = result;
    if (result.error && wasReady) {
      this.options.logger.warn(
        { reason: result.error.message, err: result.error.cause },
        'store of record not ready',
      );
    } else if (!result.error && !wasReady) {
      this.options.logger.info('store of record ready again');
    }
  }
}
