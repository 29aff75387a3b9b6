import {
  OPPORTUNITY_FIELDS as O,
  REGISTRATION_FIELDS as G,
  REQUEST_FIELDS as R,
} from '../../domain/api-names.js';
import type { RecordData } from '../../domain/records.js';
import { readStageFields } from '../../domain/stage-fields.js';
import { toRegistrationRecord } from '../lifecycle-fields.js';
import type { LinkableDeal, RegistrationRecord } from '../lifecycle-store.js';

/** Fields read for a `RegistrationRecord`, its partner account's name included. */
export const REGISTRATION_SELECT = [
  'Id',
  'Name',
  'CreatedDate',
  'CurrencyIsoCode',
  'OwnerId',
  'Partner_Account__r.Name',
  ...Object.values(G),
];

/** Fields read for a `LinkableDeal`. */
export const LINKABLE_DEAL_SELECT = [
  'Id',
  'Name',
  'IsClosed',
  'OwnerId',
  O.partnerAccount,
  O.model,
  O.stage,
  O.stageVersion,
  O.vendorOwner,
  O.partnerOwner,
  `(SELECT Id, ${R.fromStage} FROM Stage_Requests__r WHERE ${R.status} = 'Pending' LIMIT 1)`,
];

const text = (value: unknown): string | null =>
  value === null || value === undefined || value === '' ? null : String(value);

/** Returns the related record under a relationship name, or null. */
function parent(record: RecordData, relationship: string): RecordData | null {
  const value = record[relationship];
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? value
    : null;
}

/** Reads a normalised `Deal_Registration__c` record. */
export function toRegistration(record: RecordData): RegistrationRecord {
  return toRegistrationRecord(
    record,
    parent(record, 'Partner_Account__r')?.Name,
  );
}

/** Reads a normalised Opportunity with `LINKABLE_DEAL_SELECT`. */
export function toLinkableDeal(record: RecordData): LinkableDeal {
  const requests = record.Stage_Requests__r;
  const pending = Array.isArray(requests) ? requests[0] : undefined;
  return {
    id: String(record.Id),
    name: String(record.Name ?? record.Id),
    isClosed: record.IsClosed === true,
    partnerAccountId: text(record[O.partnerAccount]),
    model: text(record[O.model]),
    ...readStageFields(record, {
      dealId: String(record.Id),
      selected: LINKABLE_DEAL_SELECT,
    }),
    ownerId: text(record.OwnerId),
    vendorOwnerId: text(record[O.vendorOwner]),
    partnerOwnerId: text(record[O.partnerOwner]),
    pendingRequest: pending
      ? { id: String(pending.Id), fromStage: text(pending[R.fromStage]) }
      : null,
  };
}
