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
