import { buildAttributionSnapshot } from '../domain/lifecycle/index.js';
import type { RecordData } from '../domain/records.js';
import { dealPartnerRows } from './lifecycle/attribution-check.js';

/**
 * Builds the JSON kept with the move that closes a deal as won: its partners,
 * their splits and shares of the amount, and any attribution problem found.
 */
export function attributionSnapshot(deal: RecordData, takenAt: string): string {
  const amount = deal['Amount'];
  const currency = deal['CurrencyIsoCode'];
  return JSON.stringify(
    buildAttributionSnapshot(
      {
        id: String(deal['Id']),
        amount: amount === null || amount === undefined ? null : String(amount),
        currencyIsoCode: typeof currency === 'string' ? currency : '',
      },
      dealPartnerRows(deal),
      takenAt,
    ),
  );
}
