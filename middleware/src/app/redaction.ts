import type { CriterionResult } from '../domain/evaluation.js';
import type { DealRole } from '../domain/sides.js';
import type { LoadedModel } from '../domain/stage-model.js';

/**
 * Blanks the evidence values that read a vendor-only field, for anyone not on the
 * vendor side; the criterion's result stays visible.
 */
export function redactResults(
  results: CriterionResult[],
  model: LoadedModel,
  role: DealRole,
): CriterionResult[] {
  if (role.side === 'Vendor' || model.vendorOnlyFields.length === 0) {
    return results;
  }
  const hidden = new Set(model.vendorOnlyFields);
  return results.map((result) => ({
    ...result,
    evidence: result.evidence.map((read) =>
      isHiddenPath(read.path, hidden)
        ? { ...read, value: null, redacted: true }
        : read,
    ),
  }));
}

/**
 * Tells whether a field path such as `Vendor_Owner__r.Name` is hidden from the
 * partner side. A path is hidden when it or a path it starts with is listed in
 * `hidden`, or when it starts at the relationship of a listed lookup:
 * `X__r` for `X__c`, and `Account` for `AccountId`.
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
 * side may see. That is the rows and problems of their own partner account only,
 * so no partner learns another's split. The amounts are blanked, with
 * `redacted: true`, when the model lists `Amount` as vendor-only.
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
    // A problem about the whole deal, such as the split total, quotes other partners' Ids or splits.
    view['problems'] = snapshot['problems'].filter(own);
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
