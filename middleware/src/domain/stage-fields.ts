/**
 * The deal's co-sell stage fields as the stage workflow reads them. A stage
 * request, a confirmation, an override and the approval of a registration
 * that links the deal decide from them which stage the deal leaves and which
 * version its move writes. A value the workflow cannot use therefore stops
 * the call with a `StoredValueError` naming the deal and the field. Read as
 * "no stage" or as version NaN, it would move the deal back to the first
 * stage.
 */
import { OPPORTUNITY_FIELDS } from './api-names.js';
import { MissingStoredFieldError, StoredValueError } from './stored-value.js';
import type { StoredField } from './stored-value.js';

export interface DealStageFields {
  /** `Cosell_Stage__c`; null while the deal has no co-sell stage, as an imported deal. */
  stage: string | null;
  /** `Cosell_Stage_Version__c`: the number of moves; 0 when blank. */
  version: number;
}

export interface StageFieldsRead {
  dealId: string;
  /** The deal fields the read selected; a selected field the record lacks fails. */
  selected: readonly string[];
  /** Stage values the fix names: those of the deal's model, when the reader knows it. */
  stageValues?: readonly string[];
}

/**
 * Checks and returns the deal's `Cosell_Stage__c` and `Cosell_Stage_Version__c`.
 * A blank stage is "no co-sell stage yet" and a blank version is 0. Fails when
 * the stage is not text, when the version is not a whole number of 0 or more,
 * or when the read selected either field and the record lacks it. Partner
 * users see both values whatever the model hides, because a model may not
 * list them as vendor-only (`vendor-only-fields.ts`), so the error keeps the
 * value.
 */
export function readStageFields(
  deal: Readonly<Record<string, unknown>>,
  read: StageFieldsRead,
): DealStageFields {
  const source = (field: string): StoredField => ({
    object: 'Opportunity',
    recordId: read.dealId,
    field,
  });
  const stageField = OPPORTUNITY_FIELDS.stage;
  const versionField = OPPORTUNITY_FIELDS.stageVersion;
  for (const field of [stageField, versionField]) {
    if (deal[field] === undefined && read.selected.includes(field)) {
      throw new MissingStoredFieldError(source(field));
    }
  }
  const stage = deal[stageField] ?? null;
  if (stage !== null && typeof stage !== 'string') {
    throw new StoredValueError(
      source(stageField),
      stage,
      'text (a picklist value) or blank',
      `Set ${stageField} on Opportunity ${read.dealId} to ${read.stageValues ? `one of ${read.stageValues.join(', ')}` : "a Stage_Value__c of its model's Cosell_Stage__mdt records"}, or blank it for a deal without a co-sell stage, in Salesforce or in the local store when it is the source, then try again. If the org already holds a valid value, a proxy or gateway between the middleware and the org changed its response.`,
    );
  }
  const version = deal[versionField] ?? 0;
  if (
    typeof version !== 'number' ||
    !Number.isSafeInteger(version) ||
    version < 0
  ) {
    throw new StoredValueError(
      source(versionField),
      version,
      'a whole number of 0 or more',
      `Set ${versionField} on Opportunity ${read.dealId} to the number of co-sell moves the deal has had, which is the Version__c of its latest Stage_Transition__c, or 0 without one, in Salesforce or in the local store when it is the source, then try again.`,
    );
  }
  return { stage: stage === '' ? null : stage, version };
}
