import type { QueryPage } from './composite.js';
import type { SalesforceApi } from './salesforce-api.js';

/**
 * Streams the records of one SOQL query through the REST query endpoint. It
 * sends one API call for the first page and one for each `nextRecordsUrl`, a
 * page of up to 2,000 records, when the caller has taken the page before. So
 * only one page is in memory at a time.
 */
export async function* streamQueryRecords(
  api: SalesforceApi,
  operation: string,
  soql: string,
): AsyncGenerator<Record<string, unknown>> {
  let page = await api.read<QueryPage>(operation, {
    method: 'GET',
    url: `/query?q=${encodeURIComponent(soql)}`,
  });
  for (;;) {
    yield* page.records;
    const next = page.done ? undefined : page.nextRecordsUrl;
    if (!next) return;
    page = await api.read<QueryPage>(`${operation} (next page)`, {
      method: 'GET',
      url: next,
    });
  }
}
