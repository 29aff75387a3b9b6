import { DomainError } from '../../domain/domain-error.js';
import type { CriterionResult } from '../../domain/evaluation.js';
import { validateAttribution } from '../../domain/lifecycle/index.js';
import type {
  AttributionProblem,
  LifecycleDealPartner,
  PartnerRole,
} from '../../domain/lifecycle/index.js';
import type { Side } from '../../domain/cosell.js';
import type { RecordData } from '../../domain/records.js';
import { partnerAttributionProblems } from '../redaction.js';

/** Converts the deal's `Deal_Partners__r` rows to what the attribution rules read. */
export function dealPartnerRows(deal: RecordData): LifecycleDealPartner[] {
  const rows = Array.isArray(deal['Deal_Partners__r'])
    ? deal['Deal_Partners__r']
    : [];
  return rows.map((row) => {
    const split = row['Split_Percent__c'];
    return {
      dealId: String(deal['Id']),
      partnerAccountId: String(row['Partner_Account__c'] ?? ''),
      role: String(row['Role__c'] ?? '') as PartnerRole,
      splitPercent:
        typeof split === 'number' || typeof split === 'string' ? split : null,
    };
  });
}

/** Lists what is wrong with the deal's attribution; empty when it is valid. */
export function attributionProblems(deal: RecordData): AttributionProblem[] {
  return validateAttribution(dealPartnerRows(deal));
}

const FIX_BY_CALL = {
  request:
    'Correct the Deal_Partner__c rows of the deal, then request the move again; no request was created.',
  confirm:
    'Correct the Deal_Partner__c rows of the deal, then confirm again; the request stays pending.',
};

/**
 * Fails a move into the won stage whose attribution breaks a rule, naming each
 * problem: more than one sourcing partner, a partner twice, a split out of
 * range or with more than two decimals, or splits that do not total 100. The
 * closing criteria check the count and the total; this names the rows. `call`
 * picks the fix text, because a failed request leaves no request behind and a
 * failed confirmation keeps its request pending. A `viewer` off the vendor side
 * gets the problems by the rule of `partnerAttributionProblems`.
 */
export function assertAttributionValid(
  all: readonly AttributionProblem[],
  dealId: string,
  unmet: CriterionResult[],
  call: 'request' | 'confirm',
  viewer: { side: Side | null; accountId: string | null },
): void {
  if (all.length === 0) return;
  // A partner user learns only their own row's problems, never another partner's split.
  const problems =
    viewer.side === 'Vendor'
      ? all
      : partnerAttributionProblems(all, viewer.accountId);
  throw new DomainError(
    'attribution_invalid',
    `Deal ${dealId} cannot close as won until its partner attribution is fixed: ${problems
      .map((problem) => problem.message)
      .join(' ')}`,
    FIX_BY_CALL[call],
    { value: problems, unmet },
  );
}
