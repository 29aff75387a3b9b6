import { SalesforceApiError } from './api-error.js';
import type { StoredValue } from './record-store.js';
import type { StandInUser } from './users.js';

/**
 * Error messages of the two Opportunity validation rules that guard the co-sell
 * stage (`force-app/main/default/objects/Opportunity/validationRules/`).
 * A test compares these defaults with the metadata files.
 */
export interface StageGuardMessages {
  /** `Cosell_Stage_Change_Guard`, shown on `Cosell_Stage__c`. */
  stageChange: string;
  /** `Cosell_Stage_Version_Guard`, shown on `Cosell_Stage_Version__c`. */
  versionChange: string;
}

export const DEFAULT_STAGE_GUARD_MESSAGES: StageGuardMessages = {
  stageChange:
    'The co-sell stage changes only through the Co-sell stage path. Request the stage there; the move applies when the other side confirms it.',
  versionChange:
    'The co-sell stage version is set by the middleware with every stage move and cannot be edited. Request stage changes from the Co-sell stage path.',
};

export const INTEGRATION_PERMISSION = 'Cosell_Integration';
const STAGE = 'Cosell_Stage__c';
const VERSION = 'Cosell_Stage_Version__c';

type Values = Readonly<Record<string, StoredValue>>;

/**
 * Evaluates the Opportunity guard rules for a save by `user`, mirroring their
 * formulas: a stage may be set on a new deal, or changed on an existing one, only
 * with the `Cosell_Integration` custom permission, and a change must raise
 * `Cosell_Stage_Version__c` by exactly 1 (blank counts as 0); the version itself
 * is editable only with that permission. Returns the first failing rule's error.
 */
export function checkStageGuards(
  objectName: string,
  prior: Values | undefined,
  next: Values,
  user: StandInUser,
  messages: StageGuardMessages,
): SalesforceApiError | undefined {
  if (objectName !== 'Opportunity' || !(STAGE in next)) return undefined;
  const permitted = user.customPermissions.has(INTEGRATION_PERMISSION);
  const version = asNumber(next[VERSION]);
  const isNew = prior === undefined;
  const stageBlank = next[STAGE] === null || next[STAGE] === '';

  const stageFails = isNew
    ? !stageBlank && !permitted
    : next[STAGE] !== prior[STAGE] &&
      (!permitted || version !== asNumber(prior[VERSION]) + 1);
  if (stageFails) return ruleError(messages.stageChange, STAGE);

  const versionFails =
    !permitted &&
    (isNew
      ? version !== 0
      : (next[VERSION] ?? null) !== (prior[VERSION] ?? null));
  if (versionFails) return ruleError(messages.versionChange, VERSION);
  return undefined;
}

function asNumber(value: StoredValue | undefined): number {
  return typeof value === 'number' ? value : 0;
}

function ruleError(message: string, field: string): SalesforceApiError {
  return new SalesforceApiError(
    400,
    'FIELD_CUSTOM_VALIDATION_EXCEPTION',
    message,
    [field],
  );
}
