import { DomainError } from '../../domain/domain-error.js';
import type { RegistrationRecord } from '../../org/lifecycle-store.js';
import type { DealView } from '../explain-deal.js';
import { getDeal } from '../explain-deal.js';
import type { Actor, IdempotencyInput } from '../cosell-context.js';
import { idempotencyRecord } from '../idempotency.js';
import type { UseCaseResult } from '../request-stage.js';
import { planApprovalDeal } from './approval-deal.js';
import type { LifecycleContext } from './lifecycle-context.js';
import {
  earlierCall,
  earlierCallAfterConflict,
} from './lifecycle-idempotency.js';
import { requireChannelManager, resolveViewer } from './lifecycle-viewer.js';
import type { LifecycleViewer } from './lifecycle-viewer.js';
import { readVisibleRegistration } from './read-registration.js';
import {
  approvalConflictError,
  checkConflicts,
} from './registration-conflicts.js';
import { isOpenRegistration } from './registration-expiry.js';
import { registrationView } from './registration-view.js';
import type { RegistrationView } from './registration-view.js';

export interface ApproveInput {
  vendorOwnerId?: string;
  opportunityId?: string;
}

export interface ApprovalResult {
  registration: RegistrationView;
  deal: DealView;
}

function requireOpen(record: RegistrationRecord): void {
  if (isOpenRegistration(record)) return;
  throw new DomainError(
    'registration_decided',
    `Deal registration ${record.id} is ${record.status}, so it can no longer be decided.`,
    record.status === 'Expired'
      ? 'Ask the partner to register the deal again.'
      : 'Read the registration to see the decision that was made.',
    { value: record.status },
  );
}

async function approvalResult(
  lc: LifecycleContext,
  actor: Actor,
  viewer: LifecycleViewer,
  registration: RegistrationRecord,
  replayed: boolean,
): Promise<UseCaseResult<ApprovalResult>> {
  const dealId = registration.opportunityId;
  if (!dealId) {
    throw new DomainError(
      'concurrent_change',
      `Deal registration ${registration.id} is ${registration.status} without a deal, so the first approval with this Idempotency-Key did not finish.`,
      'Send the approval again with a new Idempotency-Key.',
      { value: registration.id },
    );
  }
  return {
    status: 200,
    body: {
      registration: registrationView(registration, viewer),
      deal: await getDeal(lc.cosell, actor, dealId),
    },
    replayed,
  };
}

/**
 * Approves a registration as a channel manager: checks it for conflicts again,
 * creates its deal at the model's first stage (or links the named opportunity)
 * with a vendor owner and the submitter as partner owner, and marks it Converted.
 */
export async function approveRegistration(
  lc: LifecycleContext,
  actor: Actor,
  registrationId: string,
  input: ApproveInput,
  idempotency?: IdempotencyInput,
): Promise<UseCaseResult<ApprovalResult>> {
  const viewer = await resolveViewer(lc.cosell, actor);
  requireChannelManager(viewer, 'approve a deal registration');
  const record = await readVisibleRegistration(lc, viewer, registrationId);
  if (await earlierCall(lc, idempotency)) {
    return approvalResult(lc, actor, viewer, record, true);
  }
  requireOpen(record);
  const now = lc.cosell.now();
  // The chosen deal is checked first, so a wrong opportunityId is named as such.
  const plan = await planApprovalDeal(lc, viewer, record, input, now);
  const link = input.opportunityId
    ? { dealId: input.opportunityId, partnerAccountId: record.partnerAccountId }
    : undefined;
  const conflicts = await checkConflicts(lc, record, link, record);
  if (conflicts.status === 'Conflict') {
    throw approvalConflictError(record, conflicts, input.opportunityId);
  }
  let approved: { registration: RegistrationRecord; dealId: string };
  try {
    approved = await lc.store.approveRegistration({
      registrationId: record.id,
      decidedById: viewer.user.id,
      decidedAt: now.toISOString(),
      conflictStatus: conflicts.status,
      conflictMatches: conflicts.text,
      deal: plan.deal,
      transition: plan.transition,
      idempotency: idempotencyRecord(idempotency, now, 200, {
        operation: 'approve',
        registrationId: record.id,
      }),
    });
  } catch (error) {
    await earlierCallAfterConflict(lc, idempotency, error);
    const current = await readVisibleRegistration(lc, viewer, registrationId);
    return approvalResult(lc, actor, viewer, current, true);
  }
  const { registration, dealId } = approved;
  lc.cosell.logger.info(
    {
      registrationId: record.id,
      dealId,
      linked: plan.deal.kind === 'link',
      approvedBy: viewer.user.id,
    },
    'deal registration approved',
  );
  return approvalResult(lc, actor, viewer, registration, false);
}

/** Rejects a registration as a channel manager, with a reason. */
export async function rejectRegistration(
  lc: LifecycleContext,
  actor: Actor,
  registrationId: string,
  reason: string,
  idempotency?: IdempotencyInput,
): Promise<UseCaseResult<RegistrationView>> {
  const viewer = await resolveViewer(lc.cosell, actor);
  requireChannelManager(viewer, 'reject a deal registration');
  const record = await readVisibleRegistration(lc, viewer, registrationId);
  if (await earlierCall(lc, idempotency)) {
    return {
      status: 200,
      body: registrationView(record, viewer),
      replayed: true,
    };
  }
  requireOpen(record);
  const now = lc.cosell.now();
  let rejected: RegistrationRecord;
  try {
    rejected = await lc.store.closeRegistration({
      id: record.id,
      status: 'Rejected',
      decidedById: viewer.user.id,
      decidedAt: now.toISOString(),
      reason,
      idempotency: idempotencyRecord(idempotency, now, 200, {
        operation: 'reject',
        registrationId: record.id,
      }),
    });
  } catch (error) {
    await earlierCallAfterConflict(lc, idempotency, error);
    const current = await readVisibleRegistration(lc, viewer, registrationId);
    return {
      status: 200,
      body: registrationView(current, viewer),
      replayed: true,
    };
  }
  lc.cosell.logger.info(
    { registrationId: record.id, rejectedBy: viewer.user.id },
    'deal registration rejected',
  );
  return {
    status: 200,
    body: registrationView(rejected, viewer),
    replayed: false,
  };
}
