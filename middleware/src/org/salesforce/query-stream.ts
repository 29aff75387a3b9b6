import { readQueryPage } from './composite.js';
import type { SalesforceApi } from './salesforce-api.js';

/**
 * Streams the records of one SOQL query through the REST query endpoint. It
 * sends one API call for the first page and one for each `nextRecordsUrl`, a
 * page of up to 2,000 records, when the caller has taken the page before. So
 * only one page is in memory at a time. Each page is checked, so a page
 * without `records` raises a `malformed` error instead of ending the stream.
 */
export async function* streamQueryRecords(
  api: SalesforceApi,
  operation: string,
  soql: string,
): AsyncGenerator<Record<string, unknown>> {
  let page = await readQueryPage(
    api,
    operation,
    `/query?q=${encodeURIComponent(soql)}`,
  );
  for (;;) {
    yield* page.records;
    const next = page.done ? undefined : page.nextRecordsUrl;
    if (!next) return;
    page = await readQueryPage(api, `${operation} (next page)`, next);
  }
}
