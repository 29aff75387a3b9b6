import { OPPORTUNITY_FIELDS } from './api-names.js';

/**
 * Opportunity fields a partner user always receives, with the reason. The API
 * shows each at the top level of a deal (`Deal.stage`, `Deal.partnerOwner`) or in
 * the agenda whatever `Vendor_Only_Fields__c` lists, and the two-sided
 * confirmation needs them, so a model may not list them as vendor-only. `Amount`
 * and `CloseDate` may be listed: the API then shows them as null.
 */
const PARTNER_FIELDS: Readonly<Record<string, string>> = {
  Id: 'every response names the deal by it',
  Name: 'the API shows it as the deal name, and the agenda lists deals by it',
  CurrencyIsoCode: "the API always shows it as the deal's currencyIsoCode",
  [OPPORTUNITY_FIELDS.model]:
    "it selects the deal's stage model, which the API shows as the deal's model",
  [OPPORTUNITY_FIELDS.stage]:
    'it is the co-sell stage both sides confirm, which the API always shows',
  [OPPORTUNITY_FIELDS.stageEnteredAt]:
    'the API always shows it as stageEnteredAt, and days in stage count from it',
  [OPPORTUNITY_FIELDS.stageVersion]:
    'the API always shows it as the deal version, which a stage request checks',
  [OPPORTUNITY_FIELDS.partnerAccount]:
    'it decides which partner may see the deal, and the API always shows it as partnerAccount',
  [OPPORTUNITY_FIELDS.partnerOwner]:
    'the partner owner confirms stage moves, and the API always shows it as partnerOwner',
  [OPPORTUNITY_FIELDS.vendorOwner]:
    "the vendor owner is the partner's counterpart, and the API always shows it as vendorOwner",
};

/**
 * Returns the problems of a model's `Vendor_Only_Fields__c` list that do not depend
 * on the schema: a field a partner must see, and a field listed twice.
 */
export function vendorOnlyFieldProblems(fields: readonly string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const field of fields) {
    const reason = PARTNER_FIELDS[field];
    if (reason !== undefined) {
      problems.push(
        `Vendor_Only_Fields__c lists ${field}, which partner users must see: ${reason}; remove it from the list`,
      );
    }
    if (seen.has(field) && !twice.has(field)) {
      twice.add(field);
      problems.push(
        `Vendor_Only_Fields__c lists ${field} more than once; keep one line for it`,
      );
    }
    seen.add(field);
  }
  return problems;
}
