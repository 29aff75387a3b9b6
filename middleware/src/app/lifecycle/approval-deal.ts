import type { OrgUser } from '../../domain/cosell.js';
import { PERMISSION_SETS } from '../../domain/cosell.js';
import { DomainError } from '../../domain/domain-error.js';
import { cutText } from '../../domain/text-length.js';
import type { NewStageTransition } from '../../org/gateway.js';
import type {
  LinkableDeal,
  LinkDealWrite,
  NewDealWrite,
  RegistrationRecord,
} from '../../org/lifecycle-store.js';
import type { LifecycleContext } from './lifecycle-context.js';
import { isClosedInCosell, registrationModel } from './lifecycle-context.js';
import type { LifecycleViewer } from './lifecycle-viewer.js';

/** Maximum length of `Opportunity.Name`. */
const DEAL_NAME_LENGTH = 120;

export interface ApprovalDealPlan {
  deal: NewDealWrite | LinkDealWrite;
  transition: NewStageTransition | null;
}

function invalidOwner(message: string, fix: string, value: string): never {
  throw new DomainError('invalid_owner', message, fix, { value });
}

/** Checks that a named vendor owner is an active internal seller or channel manager. */
async function requireVendorOwner(
  lc: LifecycleContext,
  userId: string,
): Promise<OrgUser> {
  const [user] = await lc.cosell.gateway.getUsers([userId]);
  const sells =
    user?.permissionSets.includes(PERMISSION_SETS.seller) ||
    user?.permissionSets.includes(PERMISSION_SETS.channelManager);
  if (!user || !user.isActive || user.userType !== 'Standard' || !sells) {
    invalidOwner(
      `vendorOwnerId ${userId} is not an active internal user with ${PERMISSION_SETS.seller} or ${PERMISSION_SETS.channelManager}.`,
      'Name an active vendor seller as vendorOwnerId, or leave it out to own the deal yourself.',
      userId,
    );
  }
  return user;
}

/** Checks that the submitter is still an active partner seller of the registering account. */
async function requirePartnerOwner(
  lc: LifecycleContext,
  record: RegistrationRecord,
): Promise<string> {
  const id = record.submittedById;
  const [user] = id ? await lc.cosell.gateway.getUsers([id]) : [];
  if (
    !id ||
    !user ||
    !user.isActive ||
    user.accountId !== record.partnerAccountId ||
    !user.permissionSets.includes(PERMISSION_SETS.partnerSeller)
  ) {
    invalidOwner(
      `The submitter of registration ${record.id} (${id ?? 'none'}) is no longer an active partner seller of account ${record.partnerAccountId}, so the deal would have no partner owner.`,
      'Reject the registration and ask a current partner seller of the account to register the deal again.',
      id ?? '',
    );
  }
  return id;
}

function firstStageTransition(
  record: RegistrationRecord,
  dealId: string,
  stage: string,
  approverId: string,
  at: string,
  version: number,
): NewStageTransition {
  return {
    dealId,
    fromStage: null,
    toStage: stage,
    requestId: null,
    requestedById: record.submittedById ?? approverId,
    confirmedById: approverId,
    at,
    evidenceSnapshot: '[]',
    attributionSnapshot: null,
    oneSided: false,
    key: `registration:${record.id}`,
    version,
  };
}

/**
 * Plans the deal an approval creates or links, with an owner on each side: the
 * named vendor owner (or the approving manager) and the submitting partner user.
 */
export async function planApprovalDeal(
  lc: LifecycleContext,
  viewer: LifecycleViewer,
  record: RegistrationRecord,
  input: { vendorOwnerId?: string; opportunityId?: string },
  now: Date,
): Promise<ApprovalDealPlan> {
  const at = now.toISOString();
  const approverId = viewer.user.id;
  if (input.vendorOwnerId) await requireVendorOwner(lc, input.vendorOwnerId);
  const partnerOwnerId = await requirePartnerOwner(lc, record);
  if (input.opportunityId) {
    return planLink(lc, record, input.opportunityId, {
      approverId,
      vendorOwnerId: input.vendorOwnerId,
      partnerOwnerId,
      at,
    });
  }
  const model = registrationModel(lc.cosell);
  const first = model.openStages[0]!;
  const vendorOwnerId = input.vendorOwnerId ?? approverId;
  return {
    deal: {
      kind: 'create',
      name: cutText(
        `${record.customerCompany} - ${record.productLine ?? 'Co-sell'}`,
        DEAL_NAME_LENGTH,
      ),
      ownerId: vendorOwnerId,
      stageName: lc.settings.newDealStageName,
      amount: record.amount ?? '0',
      currencyIsoCode: record.currencyIsoCode,
      closeDate: record.expectedCloseDate ?? at.slice(0, 10),
      model: model.developerName,
      stage: first.value,
      enteredAt: at,
      partnerAccountId: record.partnerAccountId,
      vendorOwnerId,
      partnerOwnerId,
    },
    transition: firstStageTransition(
      record,
      '',
      first.value,
      approverId,
      at,
      1,
    ),
  };
}

/**
 * Builds the `request_pending` error of a link that would give the deal its
 * first stage, because the pending request, made at no stage, could then no
 * longer be confirmed. The request is left to the two sides, because only the
 * requesting side may withdraw it and only the other side may reject it.
 */
function stagelessRequestError(
  deal: LinkableDeal,
  requestId: string,
  firstStageLabel: string,
): DomainError {
  return new DomainError(
    'request_pending',
    `Opportunity ${deal.id} (${deal.name}) has no co-sell stage and a pending stage request ${requestId}. Linking the registration would move the deal to "${firstStageLabel}", and the request could then no longer be confirmed.`,
    `Confirm, reject or withdraw request ${requestId} first, then approve again.`,
    { value: requestId, pendingRequestId: requestId },
  );
}

async function planLink(
  lc: LifecycleContext,
  record: RegistrationRecord,
  dealId: string,
  owners: {
    approverId: string;
    vendorOwnerId: string | undefined;
    partnerOwnerId: string;
    at: string;
  },
): Promise<ApprovalDealPlan> {
  const deal = await lc.store.getLinkableDeal(dealId);
  if (!deal) {
    throw new DomainError(
      'deal_not_found',
      `Opportunity ${dealId} was not found.`,
      'Check opportunityId, or leave it out to create a new deal.',
      { value: dealId },
    );
  }
  if (deal.isClosed) {
    throw new DomainError(
      'invalid_transition',
      `Opportunity ${dealId} (${deal.name}) is closed, so a registration cannot be linked to it.`,
      'Leave opportunityId out to create a new deal for this registration.',
      { value: dealId },
    );
  }
  if (isClosedInCosell(lc.cosell, deal)) {
    throw new DomainError(
      'invalid_transition',
      `Opportunity ${dealId} (${deal.name}) is at the closed co-sell stage ${deal.stage}, so a registration cannot be linked to it.`,
      'Leave opportunityId out to create a new deal for this registration.',
      { value: dealId },
    );
  }
  if (
    deal.partnerAccountId &&
    deal.partnerAccountId !== record.partnerAccountId
  ) {
    throw new DomainError(
      'registration_conflict',
      `Opportunity ${dealId} (${deal.name}) is registered by partner account ${deal.partnerAccountId}, not ${record.partnerAccountId}.`,
      'Reject this registration, or add the partner to the deal as Influencing.',
      { value: dealId },
    );
  }
  const modelName = deal.model ?? registrationModel(lc.cosell).developerName;
  const model = lc.cosell.models.get(modelName);
  if (!model) {
    throw new DomainError(
      'unknown_model',
      `Opportunity ${dealId} names model "${modelName}", which is not a loaded Cosell_Model__mdt record.`,
      `Set Cosell_Model__c to one of: ${[...lc.cosell.models.keys()].join(', ')}.`,
      { value: modelName },
    );
  }
  const first = model.openStages[0]!;
  const ownPartnerOwner =
    deal.partnerAccountId === record.partnerAccountId
      ? deal.partnerOwnerId
      : null;
  const firstStage =
    deal.stage === null
      ? { model: model.developerName, stage: first.value, enteredAt: owners.at }
      : null;
  if (firstStage && deal.pendingRequest) {
    throw stagelessRequestError(deal, deal.pendingRequest.id, first.label);
  }
  return {
    deal: {
      kind: 'link',
      dealId,
      expectedVersion: deal.version,
      partnerAccountId: record.partnerAccountId,
      vendorOwnerId:
        owners.vendorOwnerId ?? deal.vendorOwnerId ?? owners.approverId,
      partnerOwnerId: ownPartnerOwner ?? owners.partnerOwnerId,
      firstStage,
    },
    transition: firstStage
      ? firstStageTransition(
          record,
          dealId,
          first.value,
          owners.approverId,
          owners.at,
          deal.version + 1,
        )
      : null,
  };
}
