import type { Logger } from 'pino';
import type { StageModels } from '../domain/stage-model.js';
import type { OrgSchema } from '../domain/schema.js';
import type { DealQueryPlan, OrgGateway } from '../org/gateway.js';

/** What every use case works with: the store, the loaded models and the clock. */
export interface CosellContext {
  gateway: OrgGateway;
  schema: OrgSchema;
  models: StageModels;
  plan: DealQueryPlan;
  /** IANA time zone of the org, for `TODAY()` and days in stage. */
  timeZone: string;
  now: () => Date;
  logger: Logger;
}

/** Who is calling: the authenticated caller and the user it acts for. */
export interface Actor {
  /** Identifies the authenticated caller, to scope idempotency keys. */
  callerId: string;
  userId: string;
}

/** An `Idempotency-Key` as the HTTP layer hashed it. */
export interface IdempotencyInput {
  /** The key scoped to the caller and the acting user, as it is stored. */
  key: string;
  /** The key as the caller sent it, for messages; the stored key is a hash. */
  clientKey: string;
  fingerprint: string;
}
