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
