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

/** A path is hidden when it starts at a vendor-only field or its relationship. */
export function isHiddenPath(
  path: string,
  hidden: ReadonlySet<string>,
): boolean {
  const head = path.split('.')[0] ?? path;
  if (hidden.has(head)) return true;
  if (head.endsWith('__r')) return hidden.has(`${head.slice(0, -3)}__c`);
  return hidden.has(`${head}Id`);
}
