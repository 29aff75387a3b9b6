import { setTimeout as delay } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import { StoreUnavailableError } from '../errors.js';
import { SalesforceCallError } from './api-error.js';
import { checkResponse, JOB_INFO } from './org-response.js';
import type { SalesforceApi } from './salesforce-api.js';

interface JobInfo {
  id: string;
  state: 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
  errorMessage?: string;
}

/** One page of a job's results: the CSV header and the rows under it. */
export interface ResultPage {
  columns: string[];
  rows: string[][];
}

/**
 * A Bulk API 2.0 query job. Results are read one page at a time, following the
 * `Sforce-Locator` header with raw HTTP, because jsforce 3's `bulk2.query` fails
 * on results of more than one page. Only the current page is held in memory.
 */
export class BulkQueryJob {
  private constructor(
    private readonly api: SalesforceApi,
    readonly id: string,
    readonly objectName: string,
  ) {}

  /**
   * Creates a job. Creating is retried like a read: a repeated create makes a
   * second job, which costs one job of the org's daily allowance and reads nothing
   * twice for the caller.
   */
  static async create(
    api: SalesforceApi,
    objectName: string,
    soql: string,
  ): Promise<BulkQueryJob> {
    const operation = `create ${objectName} query job`;
    const info = checkResponse<JobInfo>(
      operation,
      'the job info',
      JOB_INFO,
      await api.read<unknown>(operation, {
        method: 'POST',
        url: '/jobs/query',
        body: JSON.stringify({
          operation: 'query',
          query: soql,
          contentType: 'CSV',
          columnDelimiter: 'COMMA',
          lineEnding: 'LF',
        }),
      }),
    );
    api.logger.debug(
      { jobId: info.id, object: objectName },
      'Bulk API query job created',
    );
    return new BulkQueryJob(api, info.id, objectName);
  }

  /**
   * Polls the job until it completes, waiting longer after each poll (from the
   * configured minimum, times 1.5, up to the maximum). A failed or aborted job, or
   * one still running after the configured time, fails the read. A job that ran
   * out of time is aborted first, and so is a job whose `signal` aborts.
   */
  async waitUntilComplete(signal?: AbortSignal): Promise<void> {
    const { bulkPollMinMs, bulkPollMaxMs, bulkTimeoutMs } = this.api.settings;
    const deadline = Date.now() + bulkTimeoutMs;
    let wait = bulkPollMinMs;
    for (;;) {
      if (signal?.aborted) {
        await this.abort();
        throw signal.reason;
      }
      const operation = `poll ${this.objectName} query job`;
      const info = checkResponse<JobInfo>(
        operation,
        'the job info',
        JOB_INFO,
        await this.api.read<unknown>(operation, {
          method: 'GET',
          url: `/jobs/query/${this.id}`,
        }),
      );
      if (info.state === 'JobComplete') return;
      if (info.state === 'Failed' || info.state === 'Aborted') {
        throw new SalesforceCallError(`${this.objectName} query job`, [
          {
            errorCode: `JOB_${info.state.toUpperCase()}`,
            message: `Bulk API query job ${this.id} ${info.state.toLowerCase()}: ${info.errorMessage ?? 'no reason given'}`,
          },
        ]);
      }
      if (Date.now() + wait > deadline) {
        await this.abort();
        throw new StoreUnavailableError(
          `Bulk API query job ${this.id} on ${this.objectName} did not complete within ${bulkTimeoutMs} ms (COSELL_SF_BULK_TIMEOUT_MS); it was aborted`,
        );
      }
      await delay(wait, undefined, { signal }).catch(() => undefined);
      wait = Math.min(bulkPollMaxMs, Math.ceil(wait * 1.5));
    }
  }

  /** Yields the result pages in order; each is fetched, with retries, when asked for. */
  async *pages(): AsyncGenerator<ResultPage> {
    const size = this.api.settings.bulkPageSize;
    const base = `${this.api.dataPath}/jobs/query/${this.id}/results?maxRecords=${size}`;
    let locator: string | null = null;
    let header: string[] | undefined;
    do {
      const path: string = locator
        ? `${base}&locator=${encodeURIComponent(locator)}`
        : base;
      const operation = `read ${this.objectName} query results`;
      const { text, headers } = await this.api.retrying(operation, () =>
        this.api.fetchText(operation, path, 'text/csv'),
      );
      const [columns, ...rows] = parse(text, {
        relax_column_count: false,
      }) as string[][];
      if (columns) {
        if (header && header.join(',') !== columns.join(',')) {
          throw new SalesforceCallError(operation, [
            {
              errorCode: 'UNEXPECTED_RESULT',
              message: `the columns of job ${this.id} changed between pages`,
            },
          ]);
        }
        header = columns;
        yield { columns, rows };
      }
      const next = headers.get('sforce-locator');
      locator = next && next !== 'null' ? next : null;
    } while (locator);
  }

  private async abort(): Promise<void> {
    try {
      await this.api.send(`abort ${this.objectName} query job`, {
        method: 'PATCH',
        url: `/jobs/query/${this.id}`,
        body: JSON.stringify({ state: 'Aborted' }),
      });
    } catch (error) {
      this.api.logger.warn(
        { err: error, jobId: this.id },
        'could not abort a Bulk API query job that ran out of time',
      );
    }
  }
}
