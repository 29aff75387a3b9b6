import type { RecordData } from '../../domain/records.js';
import type { OrgSchema } from '../../domain/schema.js';
import type { DealQueryPlan } from '../gateway.js';
import { BulkQueryJob } from './bulk-query.js';
import type { RecordNormalizer } from './record-normalizer.js';
import type { SalesforceApi } from './salesforce-api.js';
import { selectList, soqlName } from './soql-select.js';

/** A child object's job and how its rows join their deal. */
interface ChildJob {
  relationship: string;
  /** The lookup on the child that contains the deal Id, such as `Opportunity__c`. */
  lookupField: string;
  /** Whether the plan reads the lookup itself; if not, it is dropped after the join. */
  keepLookup: boolean;
  job: BulkQueryJob;
}

/**
 * Reads every open deal with the plan's fields and children through Bulk API 2.0.
 * Bulk has no parent-to-child subqueries, so there is one job per object: the
 * Opportunity job, then one per child relationship, filtered to open deals through
 * the child's lookup (`Opportunity__r.IsClosed = false`). All jobs are created
 * and polled first, so the org runs them side by side.
 *
 * The join by Opportunity Id reads the child jobs first, grouping their rows by
 * deal, then streams the Opportunity results page by page and yields each deal
 * with its children. Memory bound: the open deals' child rows (the plan's child
 * fields only) plus one result page (`COSELL_SF_BULK_PAGE_SIZE` rows). Deals are
 * never all in memory at once. API calls: per job, one create, one or more polls
 * and one call per result page.
 *
 * NOTE: the jobs read the org at slightly different moments, so a deal that opens
 * or closes while they run may come back without the children it has then.
 */
export async function* streamOpenDeals(
  api: SalesforceApi,
  normalizer: RecordNormalizer,
  schema: OrgSchema,
  plan: DealQueryPlan,
): AsyncGenerator<RecordData> {
  const dealJob = await BulkQueryJob.create(
    api,
    'Opportunity',
    `SELECT ${selectList(plan.dealFields).join(', ')} FROM Opportunity WHERE IsClosed = false`,
  );
  const childJobs: ChildJob[] = [];
  for (const [relationship, paths] of Object.entries(plan.children)) {
    childJobs.push(await createChildJob(api, schema, relationship, paths));
  }

  await waitForAll([dealJob, ...childJobs.map((child) => child.job)]);

  const children = new Map<string, Record<string, RecordData[]>>();
  for (const child of childJobs) {
    for await (const page of child.job.pages()) {
      const columns = normalizer.resolveColumns(
        child.job.objectName,
        page.columns,
      );
      for (const row of page.rows) {
        const record = normalizer.fromCsv(columns, row);
        const dealId = record[child.lookupField];
        if (typeof dealId !== 'string') continue;
        if (!child.keepLookup) delete record[child.lookupField];
        const byRelationship = children.get(dealId) ?? {};
        (byRelationship[child.relationship] ??= []).push(record);
        children.set(dealId, byRelationship);
      }
    }
  }

  const relationships = Object.keys(plan.children);
  for await (const page of dealJob.pages()) {
    const columns = normalizer.resolveColumns('Opportunity', page.columns);
    for (const row of page.rows) {
      const deal = normalizer.fromCsv(columns, row);
      const id = String(deal.Id);
      const own = children.get(id) ?? {};
      children.delete(id);
      for (const relationship of relationships) {
        deal[relationship] = own[relationship] ?? [];
      }
      yield deal;
    }
  }
}

/**
 * Polls the jobs side by side, as the org runs them. When one fails, the others
 * are aborted, and the first failure is raised once every job stopped.
 */
async function waitForAll(jobs: BulkQueryJob[]): Promise<void> {
  const controller = new AbortController();
  let firstError: unknown;
  const results = await Promise.allSettled(
    jobs.map((job) =>
      job.waitUntilComplete(controller.signal).catch((error: unknown) => {
        firstError ??= error;
        controller.abort(new Error('another query job of this read failed'));
        throw error;
      }),
    ),
  );
  if (results.some((result) => result.status === 'rejected')) throw firstError;
}

async function createChildJob(
  api: SalesforceApi,
  schema: OrgSchema,
  relationship: string,
  paths: readonly string[],
): Promise<ChildJob> {
  const child = schema.Opportunity?.childRelationships[relationship];
  const lookup = child
    ? schema[child.childSObject]?.fields[child.field]
    : undefined;
  if (!child || !lookup?.relationshipName) {
    throw new TypeError(
      `${relationship} is not a child relationship of Opportunity in the described schema`,
    );
  }
  const keepLookup = paths.some(
    (path) => path.toLowerCase() === child.field.toLowerCase(),
  );
  const soql =
    `SELECT ${selectList([...paths, child.field]).join(', ')} FROM ${soqlName(child.childSObject)} ` +
    `WHERE ${soqlName(lookup.relationshipName)}.IsClosed = false`;
  return {
    relationship,
    lookupField: child.field,
    keepLookup,
    job: await BulkQueryJob.create(api, child.childSObject, soql),
  };
}
