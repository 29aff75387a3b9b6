import { PERMISSION_SETS } from '../domain/cosell.js';
import type { OrgUser, StageRequest } from '../domain/cosell.js';
import { DomainError } from '../domain/domain-error.js';
import { stageNotInModel } from '../domain/evaluation.js';
import type { DealEvaluationEnv } from '../domain/evaluation.js';
import type { RecordData } from '../domain/records.js';
import { resolveDealRole } from '../domain/sides.js';
import type { DealRole } from '../domain/sides.js';
import { readStageFields } from '../domain/stage-fields.js';
import type { LoadedModel } from '../domain/stage-model.js';
import {
  assertOnDeal,
  isExpired,
  isRequesterOnSide,
} from '../domain/stage-requests.js';
import type { DealContext } from '../org/gateway.js';
import { expiryWrite } from './expire-requests.js';
import { hiddenValueTest } from './redaction.js';
import { idempotencyKeyReused } from './write-conflict.js';
import type {
  Actor,
  CosellContext,
  IdempotencyInput,
} from './cosell-context.js';

/** A deal read for one call, with the acting user's role and the deal's model. */
export interface LoadedDeal {
  read: DealContext;
  deal: RecordData;
  dealId: string;
  user: OrgUser;
  role: DealRole;
  model: LoadedModel;
  env: DealEvaluationEnv;
  /** `Cosell_Stage_Version__c`, checked: a whole number of 0 or more, 0 when blank. */
  version: number;
}

export interface LoadDealOptions {
  dealId?: string;
  requestId?: string;
  idempotency?: IdempotencyInput;
}

/**
 * Reads everything a decision needs in one gateway call, checks the acting user,
 * rejects a user who may not read the deal with 403 (404 for a partner user),
 * checks the deal's stage fields (`readStageFields`), and applies the expiry of
 * pending requests that this read finds past their time.
 */
export async function loadDeal(
  ctx: CosellContext,
  actor: Actor,
  options: LoadDealOptions,
): Promise<LoadedDeal> {
  const read = await ctx.gateway.readDealContext({
    dealId: options.dealId,
    requestId: options.requestId,
    actingUserId: actor.userId,
    idempotencyKey: options.idempotency?.key,
    plan: ctx.plan,
  });
  const user = read.actingUser;
  if (!user || !user.isActive) {
    throw new DomainError(
      'unknown_acting_user',
      `Acting user ${actor.userId} is ${user ? 'inactive' : 'not a user of the org'}.`,
      'Send the Id of an active Salesforce user in the X-Cosell-Acting-User header.',
      { value: actor.userId },
    );
  }
  if (options.requestId && !read.request) {
    throw requestNotFound(options.requestId);
  }
  const deal = read.deal;
  const dealId = typeof deal?.['Id'] === 'string' ? deal['Id'] : undefined;
  if (!deal || !dealId) {
    throw dealNotFound(options.dealId ?? read.request?.dealId ?? null);
  }
  const role = resolveDealRole(user, deal, read.teamMemberIds);
  // A partner user learns nothing of deals they may not read, not even that
  // they exist, so the response is the one for a missing Id, before any check
  // that reads the deal's fields.
  if (user.userType !== 'Standard' && !mayRead({ role, user })) {
    throw options.requestId
      ? requestNotFound(options.requestId)
      : dealNotFound(dealId);
  }
  const modelName =
    typeof deal['Cosell_Model__c'] === 'string' && deal['Cosell_Model__c']
      ? deal['Cosell_Model__c']
      : 'Default';
  const model = ctx.models.get(modelName);
  if (!model) {
    throw new DomainError(
      'unknown_model',
      `Deal ${dealId} names model "${modelName}", which is not a loaded Cosell_Model__mdt record.`,
      `Set Cosell_Model__c to one of: ${[...ctx.models.keys()].join(', ')}.`,
      { value: modelName },
    );
  }
  const hidesValue = hiddenValueTest(model, role);
  const env: DealEvaluationEnv = {
    now: ctx.now(),
    timeZone: ctx.timeZone,
    ...(hidesValue ? { hidesValue } : {}),
  };
  // Every caller rejects a user who may not read the deal with this 403. It
  // comes before the checks below, because their errors show the deal's stored
  // values, and before the expiry, because such a user must change nothing.
  if (!mayRead({ role, user })) assertOnDeal(role, user.id, dealId);
  // A stage or version the workflow cannot use stops every deal call, before
  // the expiry writes anything.
  const { version } = readStageFields(deal, {
    dealId,
    selected: ctx.plan.dealFields,
    stageValues: model.stages.map((stage) => stage.value),
  });
  const loaded = { read, deal, dealId, user, role, model, env, version };
  await expireIfDue(ctx, read, env.now);
  return loaded;
}

function requestNotFound(requestId: string): DomainError {
  return new DomainError(
    'request_not_found',
    `Stage request ${requestId} was not found.`,
    "Check the request Id. GET /v1/deals/{dealId} shows the deal's pending request, and GET /v1/deals/{dealId}/transitions the requestId of each applied move.",
    { value: requestId },
  );
}

function dealNotFound(dealId: string | null): DomainError {
  return new DomainError(
    'deal_not_found',
    `Deal ${dealId ?? ''} was not found.`,
    'Check the Opportunity Id.',
    { value: dealId },
  );
}

async function expireIfDue(
  ctx: CosellContext,
  read: DealContext,
  now: Date,
): Promise<void> {
  const expire = async (request: StageRequest) =>
    ctx.gateway.closeRequest(expiryWrite(request)).catch((error: unknown) => {
      // Another reader may have expired or answered it first; the re-read decides.
      ctx.logger.warn(
        { err: error, requestId: request.id },
        'expiry on read failed',
      );
      return ctx.gateway.getRequest(request.id);
    });
  if (read.pendingRequest && isExpired(read.pendingRequest, now)) {
    const closed = await expire(read.pendingRequest);
    if (read.request?.id === read.pendingRequest.id) read.request = closed;
    read.pendingRequest = closed?.status === 'Pending' ? closed : null;
  } else if (read.request && isExpired(read.request, now)) {
    read.request = await expire(read.request);
  }
}

/**
 * Checks that the acting user may read the deal: a user on either side (channel
 * managers included), an internal co-sell admin, or a partner user of an account
 * that influences the deal. Any other internal user gets 403 `not_on_deal`, the
 * same error as from a confirmation, rejection, withdrawal or override. Any
 * other partner user never gets here, because `loadDeal` responds to them as
 * for a missing Id.
 */
export function assertCanRead(loaded: LoadedDeal): void {
  if (mayRead(loaded)) return;
  assertOnDeal(loaded.role, loaded.user.id, loaded.dealId);
}

/**
 * Applies the read rule of the deal endpoints: a user on either side (channel
 * managers included), a partner user of an influencing account, or an internal
 * co-sell admin may read the deal.
 */
export function mayRead({
  role,
  user,
}: Pick<LoadedDeal, 'role' | 'user'>): boolean {
  if (role.side || role.isInfluencingPartner) return true;
  return (
    user.userType === 'Standard' &&
    user.permissionSets.includes(PERMISSION_SETS.admin)
  );
}

/**
 * Throws `stage_not_in_model` (HTTP 409) when the deal is stored at a stage its
 * model no longer has. Evaluating or moving such a deal would treat it as having no
 * stage and move it back to the first stage.
 */
export function assertKnownStage(loaded: LoadedDeal): void {
  const value = stageNotInModel(loaded.model, loaded.deal);
  if (value === null) return;
  const model = loaded.model.developerName;
  throw new DomainError(
    'stage_not_in_model',
    `Deal ${loaded.dealId} is stored at stage "${value}", which model ${model} does not have, so it cannot be evaluated or moved.`,
    `Restore the Cosell_Stage__mdt record with Stage_Value__c "${value}" and its exit criteria in model ${model}, or move the deal with a data fix to one of: ${loaded.model.stages.map((stage) => stage.value).join(', ')}.`,
    { value },
  );
}

export function assertIdempotencyMatches(
  loaded: LoadedDeal,
  idempotency: IdempotencyInput | undefined,
): boolean {
  const stored = loaded.read.idempotency;
  if (!idempotency || !stored) return false;
  if (stored.fingerprint !== idempotency.fingerprint) {
    throw idempotencyKeyReused(idempotency);
  }
  return true;
}

/**
 * Returns whether the requester of `request` is still on the side that made it,
 * on the deal of `loaded`. `requester` defaults to the acting user when they
 * made the request, else to the requester that a request call read. A
 * requester who is not a user of the org is on no side.
 */
export function requesterIsOnSide(
  loaded: LoadedDeal,
  request: StageRequest,
  requester: OrgUser | null = knownRequester(loaded, request),
): boolean {
  const role = requester
    ? resolveDealRole(requester, loaded.deal, loaded.read.teamMemberIds)
    : null;
  return isRequesterOnSide(request, role);
}

function knownRequester(
  loaded: LoadedDeal,
  request: StageRequest,
): OrgUser | null {
  if (request.requestedById === loaded.user.id) return loaded.user;
  const read = loaded.read.requester;
  return read?.id === request.requestedById ? read : null;
}
