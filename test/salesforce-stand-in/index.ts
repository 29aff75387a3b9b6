/**
 * A loopback stand-in for the Salesforce REST API, for tests and benchmarks.
 *
 * ```ts
 * const schema = await readForceAppSchema('force-app');
 * const standIn = await startSalesforceStandIn({ schema, jwtPublicKey });
 * const conn = new jsforce.Connection({
 *   instanceUrl: standIn.instanceUrl,
 *   accessToken: standIn.issueToken('integration@stand-in.example'),
 *   version: '62.0',
 * });
 * standIn.records.insert('Opportunity', { Name: 'Acme', StageName: 'Prospecting', CloseDate: '2025-06-30' });
 * standIn.faults.next({ kind: 'lock', match: { method: 'PATCH' } });
 * const calls = standIn.requests.filter((r) => r.apiCall).length;
 * await standIn.close();
 * ```
 *
 * The stand-in has no sharing, field-level security, triggers or validation
 * rules other than the two Opportunity stage guards; every user sees every record.
 */
export {
  startSalesforceStandIn,
  type StandIn,
  type StandInOptions,
} from './stand-in.js';
export type { StandInRecords } from './record-helpers.js';
export type { RecordedRequest, ResourceKind } from './request-log.js';
export type {
  FaultKind,
  FaultSpec,
  FaultMatch,
  FaultRequestInfo,
} from './faults.js';
export type { StandInUser, StandInUserConfig } from './users.js';
export { DEFAULT_USERS } from './users.js';
export {
  DEFAULT_STAGE_GUARD_MESSAGES,
  INTEGRATION_PERMISSION,
  type StageGuardMessages,
} from './validation-rules.js';
export { JWT_BEARER_GRANT, DEFAULT_AUDIENCES } from './auth.js';
export { normalizeId } from './salesforce-id.js';
