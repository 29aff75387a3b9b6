import type { TextInFile } from './text-in-file.js';

/**
 * Stage models as data. The raw records mirror the custom metadata types
 * `Cosell_Model__mdt`, `Cosell_Stage__mdt` and `Exit_Criterion__mdt`; a loaded model
 * has its criteria parsed and type-checked against the org schema.
 */
export const FORECAST_CATEGORIES = [
  'Pipeline',
  'Best Case',
  'Commit',
  'Closed',
  'Omitted',
] as const;
export type ForecastCategory = (typeof FORECAST_CATEGORIES)[number];

export type CriterionKind = 'Exit' | 'Closing';

/** One `Cosell_Model__mdt` record. */
export interface ModelRecord {
  developerName: string;
  label: string;
  requestExpiryHours: number;
  registrationExpiryDays: number;
  /** Opportunity fields that a partner user never receives. */
  vendorOnlyFields: string[];
  description?: string;
}

/** One `Cosell_Stage__mdt` record. */
export interface StageRecord {
  /** Unique across all models, such as `Default_Registered`. */
  developerName: string;
  label: string;
  /** DeveloperName of the owning `Cosell_Model__mdt` record. */
  model: string;
  /** The `Opportunity.Cosell_Stage__c` picklist value, such as `Registered`. */
  value: string;
  order: number;
  /** Percent, 0 to 100. */
  probability: number;
  forecastCategory: ForecastCategory;
  /** Days in stage after which a deal counts as stalled; null for closed stages. */
  stallDays: number | null;
  closed: boolean;
  won: boolean;
}

/** One `Exit_Criterion__mdt` record. */
export interface CriterionRecord {
  developerName: string;
  label: string;
  /** DeveloperName of the owning `Cosell_Stage__mdt` record. */
  stage: string;
  kind: CriterionKind;
  formula: string;
  /** The rule in words, for people. */
  ruleText: string;
  evidenceLabel: string;
  order: number;
  active: boolean;
}

/** The raw metadata a store returns; `loadStageModels` turns it into models. */
export interface ModelSource {
  models: ModelRecord[];
  stages: StageRecord[];
  criteria: CriterionRecord[];
  /** Where each record came from (file path or `Cosell_Stage__mdt.<Name>`), for errors. */
  origins?: Record<string, string>;
  /**
   * Where each criterion's formula sits in its origin file, by DeveloperName, so a
   * formula error can name its position in the file; only files have it.
   */
  formulasInFiles?: Record<string, TextInFile>;
}
