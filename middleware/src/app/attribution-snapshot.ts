import type { RecordData } from '../domain/records.js';

/** The deal partners and splits as they were when the deal closed as won. */
export function attributionSnapshot(deal: RecordData): string {
  const rows = Array.isArray(deal['Deal_Partners__r'])
    ? deal['Deal_Partners__r']
    : [];
  return JSON.stringify({
    amount: deal['Amount'] ?? null,
    currencyIsoCode: deal['CurrencyIsoCode'] ?? null,
    partners: rows.map((row) => ({
      partnerAccountId: row['Partner_Account__c'] ?? null,
      role: row['Role__c'] ?? null,
      splitPercent: row['Split_Percent__c'] ?? null,
    })),
  });
}
