import { RELATIONSHIPS } from '../domain/api-names.js';
import type { FieldRead } from '../domain/criteria/types.js';
import type { CriterionResult } from '../domain/evaluation.js';
import type { AttributionProblem } from '../domain/lifecycle/index.js';
import type { DealRole } from '../domain/sides.js';
import type { LoadedModel } from '../domain/stage-model.js';

/**
 * Child relationships whose rows belong to several partners. An aggregate over one,
 * such as `SUM(Deal_Partners__r, Split_Percent__c)`, would tell a partner the other
 * partners' splits, so only the vendor side receives its value and counts.
 */
const PARTNER_SHARED_RELATIONSHIPS: ReadonlySet<string> = new Set([
  RELATIONSHIPS.dealPartners,
]);

/**
 * Blanks the evidence values that read a vendor-only field, or aggregate a
 * relationship other partners share, for anyone not on the vendor side. An
 * aggregate counts as reading every Opportunity path its value and condition
 * read on the child records, such as `Probability` in
 * `SUM(Deal_Approvals__r, Opportunity__r.Probability)`. The criterion's result
 * stays visible.
 */
export function redactResults(
  results: CriterionResult[],
  model: LoadedModel,
  role: DealRole,
): CriterionResult[] {
  if (role.side === 'Vendor') return results;
  const hidden = new Set(model.vendorOnlyFields);
  const redact = (read: FieldRead): FieldRead & { redacted?: true } => {
    if (read.relationship) {
      return isHiddenAggregate(read, model, hidden)
        ? {
            path: read.path,
            value: null,
            relationship: read.relationship,
            redacted: true,
          }
        : read;
    }
    return isHiddenPath(read.path, hidden)
      ? { ...read, value: null, redacted: true }
      : read;
  };
  return results.map((result) => ({
    ...result,
    evidence: result.evidence.map(redact),
  }));
}

/**
 * Tells whether a partner user must not receive an aggregate's value and counts.
 * That is so when it aggregates a relationship other partners share or reads a
 * hidden path on an Opportunity. An aggregate that no criterion of the model has
 * any more, such as one in a transition stored before the model changed, is
 * hidden, because what it read is unknown.
 */
function isHiddenAggregate(
  read: FieldRead,
  model: LoadedModel,
  hidden: ReadonlySet<string>,
): boolean {
  if (PARTNER_SHARED_RELATIONSHIPS.has(read.relationship ?? '')) return true;
  const paths = aggregateRootPathsOf(model).get(read.path);
  if (!paths) return true;
  return paths.some((path) => isHiddenPath(path, hidden));
}

const aggregateRootPathsByModel = new WeakMap<
  LoadedModel,
  Map<string, readonly string[]>
>();

/** Returns the model's aggregates, by text, with the Opportunity paths they read. */
function aggregateRootPathsOf(
  model: LoadedModel,
): Map<string, readonly string[]> {
  const cached = aggregateRootPathsByModel.get(model);
  if (cached) return cached;
  const byText = new Map<string, readonly string[]>();
  for (const stage of model.stages) {
    for (const criterion of [...stage.exitCriteria, ...stage.closingCriteria]) {
      const compiled = criterion.compiled.aggregateRootPaths;
      for (const [text, paths] of Object.entries(compiled)) {
        byText.set(text, [...(byText.get(text) ?? []), ...paths]);
      }
    }
  }
  aggregateRootPathsByModel.set(model, byText);
  return byText;
}

/**
 * Returns the test of the field paths whose values `role` may not see, by the
 * rules of `redactResults`. Returns undefined for the vendor side, because it
 * may see every value.
 */
export function hiddenValueTest(
  model: LoadedModel,
  role: DealRole,
): ((path: string) => boolean) | undefined {
  if (role.side === 'Vendor') return undefined;
  const hidden = new Set(model.vendorOnlyFields);
  return (path) => {
    const head = path.split('.')[0] ?? path;
    return PARTNER_SHARED_RELATIONSHIPS.has(head) || isHiddenPath(path, hidden);
  };
}

/**
 * Tells whether a field path such as `Vendor_Owner__r.Name` is hidden from the
 * partner side. A path is hidden when it or a path it starts with is listed in
 * `hidden`, or when it starts at the relationship of a listed lookup:
 * `X__r` for `X__c`, and `Account` for `AccountId`.
 * NOTE: a root path through a custom lookup to another Opportunity, such as
 * `Parent__r.Probability`, is hidden only by its own prefixes, not by `Probability`.
 */
export function isHiddenPath(
  path: string,
  hidden: ReadonlySet<string>,
): boolean {
  const parts = path.split('.');
  const head = parts[0] ?? path;
  if (head.endsWith('__r') && hidden.has(`${head.slice(0, -3)}__c`)) {
    return true;
  }
  if (hidden.has(`${head}Id`)) return true;
  for (let length = 1; length <= parts.length; length += 1) {
    if (hidden.has(parts.slice(0, length).join('.'))) return true;
  }
  return false;
}

/**
 * Returns the part of a won move's attribution snapshot that a user off the vendor
 * side may see. That is the rows of their own partner account only, and the
 * problems by the rule of `partnerAttributionProblems`, so no partner learns
 * another's split. The amounts are blanked, with `redacted: true`, when the
 * model lists `Amount` as vendor-only.
 */
export function redactAttribution(
  attribution: unknown,
  model: LoadedModel,
  role: DealRole,
  accountId: string | null,
): unknown {
  if (
    role.side === 'Vendor' ||
    !attribution ||
    typeof attribution !== 'object'
  ) {
    return attribution;
  }
  const snapshot = attribution as Record<string, unknown>;
  const own = (row: unknown): boolean =>
    (row as { partnerAccountId?: unknown } | null)?.partnerAccountId ===
    accountId;
  const view: Record<string, unknown> = { ...snapshot };
  if (Array.isArray(snapshot['partners'])) {
    view['partners'] = snapshot['partners'].filter(own);
  }
  if (Array.isArray(snapshot['problems'])) {
    view['problems'] = partnerAttributionProblems(
      snapshot['problems'] as AttributionProblem[],
      accountId,
    );
  }
  if (isHiddenPath('Amount', new Set(model.vendorOnlyFields))) {
    view['amount'] = null;
    if (Array.isArray(view['partners'])) {
      view['partners'] = view['partners'].map((row: object) => ({
        ...row,
        amount: null,
      }));
    }
    view['redacted'] = true;
  }
  return view;
}

/** Whole-deal problems as a partner user reads them, without other partners' Ids or splits. */
const PARTNER_WORDING: Partial<Record<AttributionProblem['code'], string>> = {
  multiple_sourcing:
    'The deal has more than one Sourcing partner; keep one and make the others Influencing.',
  split_total:
    'The splits of the deal partners do not add up to 100%; change them so they total exactly 100.',
};

/**
 * Returns the attribution problems a partner user of `accountId` may read. Those
 * are the problems of their own row and the whole-deal problems, reworded
 * without other partners' Ids or the split total. The problems of other
 * partners' rows become one `other_partner_rows` problem.
 */
export function partnerAttributionProblems(
  problems: readonly AttributionProblem[],
  accountId: string | null,
): AttributionProblem[] {
  const visible: AttributionProblem[] = [];
  let othersHidden = false;
  for (const problem of problems) {
    if (problem.partnerAccountId === undefined) {
      const message = PARTNER_WORDING[problem.code] ?? problem.message;
      visible.push({ code: problem.code, message });
    } else if (problem.partnerAccountId === accountId) {
      visible.push(problem);
    } else {
      othersHidden = true;
    }
  }
  if (othersHidden) {
    visible.push({
      code: 'other_partner_rows',
      message:
        "Another partner's Deal_Partner__c row needs a fix; a vendor seller or channel manager of the deal can see it.",
    });
  }
  return visible;
}
