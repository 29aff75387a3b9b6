import {
  OPPORTUNITY_FIELDS as O,
  REGISTRATION_FIELDS as G,
} from '../../domain/api-names.js';
import { readStageFields } from '../../domain/stage-fields.js';
import { toRegistrationRecord } from '../lifecycle-fields.js';
import type { LinkableDeal, RegistrationRecord } from '../lifecycle-store.js';
import type { Row } from './row-mappers.js';

const text = (value: unknown): string | null =>
  value === null || value === undefined || value === '' ? null : String(value);

/** Selects a registration with its partner account's name as `_partnerAccountName`. */
export const REGISTRATION_SELECT = `SELECT r.*, a."Name" AS "_partnerAccountName"
  FROM "Deal_Registration__c" r LEFT JOIN "Account" a ON a."Id" = r."${G.partnerAccount}"`;

export function toRegistration(row: Row): RegistrationRecord {
  return toRegistrationRecord(row, row['_partnerAccountName']);
}

export function toLinkableDeal(row: Row): LinkableDeal {
  return {
    id: String(row['Id']),
    name: String(row['Name'] ?? row['Id']),
    isClosed: row['IsClosed'] === 1,
    partnerAccountId: text(row['Partner_Account__c']),
    model: text(row['Cosell_Model__c']),
    // The statement selects both stage fields.
    ...readStageFields(row, {
      dealId: String(row['Id']),
      selected: [O.stage, O.stageVersion],
    }),
    ownerId: text(row['OwnerId']),
    vendorOwnerId: text(row['Vendor_Owner__c']),
    partnerOwnerId: text(row['Partner_Owner__c']),
    pendingRequest: row['_pendingRequestId']
      ? {
          id: String(row['_pendingRequestId']),
          fromStage: text(row['_pendingFromStage']),
        }
      : null,
  };
}
