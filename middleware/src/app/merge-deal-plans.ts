import type { DealQueryPlan } from '../org/gateway.js';

/** Returns the union of the plans' deal fields and child fields. */
export function mergeDealPlans(...plans: DealQueryPlan[]): DealQueryPlan {
  const dealFields = new Set<string>();
  const children: Record<string, string[]> = {};
  for (const plan of plans) {
    for (const field of plan.dealFields) dealFields.add(field);
    for (const [relationship, fields] of Object.entries(plan.children)) {
      children[relationship] = [
        ...new Set([...(children[relationship] ?? []), ...fields]),
      ];
    }
  }
  return { dealFields: [...dealFields], children };
}
