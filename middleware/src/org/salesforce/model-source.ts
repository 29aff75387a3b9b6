import { compileFormula, CriteriaError } from '../../domain/criteria/index.js';
import {
  FORECAST_CATEGORIES,
  type CriterionKind,
  type CriterionRecord,
  type ForecastCategory,
  type ModelRecord,
  type ModelSource,
  type StageRecord,
} from '../../domain/model.js';
import type { RecordData } from '../../domain/records.js';
import type { OrgSchema } from '../../domain/schema.js';
import { ModelLoadError, type ModelProblem } from '../../domain/stage-model.js';
import { allRecords, querySubrequest, sendComposite } from './composite.js';
import type { RecordNormalizer } from './record-normalizer.js';
import type { SalesforceApi } from './salesforce-api.js';

const OPERATION = 'load stage models';

const MODEL_SOQL =
  'SELECT DeveloperName, MasterLabel, Request_Expiry_Hours__c, Registration_Expiry_Days__c, ' +
  'Vendor_Only_Fields__c, Description__c FROM Cosell_Model__mdt';
const STAGE_SOQL =
  'SELECT DeveloperName, MasterLabel, Model__r.DeveloperName, Stage_Value__c, Order__c, ' +
  'Probability__c, Forecast_Category__c, Stall_Days__c, Is_Closed__c, Is_Won__c FROM Cosell_Stage__mdt';
const CRITERION_SOQL =
  'SELECT DeveloperName, MasterLabel, Stage__r.DeveloperName, Kind__c, Formula__c, Rule_Text__c, ' +
  'Evidence_Label__c, Order__c, Is_Active__c FROM Exit_Criterion__mdt';

/**
 * Reads the three custom metadata types in one composite call of three queries;
 * the metadata relationships are read as `Model__r.DeveloperName` and
 * `Stage__r.DeveloperName`. Origins name each record as `Type.DeveloperName`.
 */
export async function loadModelSource(
  api: SalesforceApi,
  normalizer: RecordNormalizer,
): Promise<ModelSource> {
  // A failed query is thrown inside the retried call, so a row lock in one
  // query is retried like a row lock of the whole call.
  const result = await api.retrying(OPERATION, async () => {
    const sent = await sendComposite(
      api,
      OPERATION,
      [
        querySubrequest(api, 'models', MODEL_SOQL),
        querySubrequest(api, 'stages', STAGE_SOQL),
        querySubrequest(api, 'criteria', CRITERION_SOQL),
      ],
      false,
    );
    sent.throwIfFailed();
    return sent;
  });
  const rows = async (referenceId: string, objectName: string) => {
    const records = await allRecords(
      api,
      OPERATION,
      result.queryPage(referenceId),
    );
    return records.map((row) => normalizer.fromJson(row, objectName));
  };
  const problems: ModelProblem[] = [];
  const source: Required<Omit<ModelSource, 'formulasInFiles'>> = {
    models: (await rows('models', 'Cosell_Model__mdt')).map(toModel),
    stages: (await rows('stages', 'Cosell_Stage__mdt')).map((row) =>
      toStage(row, problems),
    ),
    criteria: (await rows('criteria', 'Exit_Criterion__mdt')).map((row) =>
      toCriterion(row, problems),
    ),
    origins: {},
  };
  for (const model of source.models) {
    source.origins[model.developerName] =
      `Cosell_Model__mdt.${model.developerName}`;
  }
  for (const stage of source.stages) {
    source.origins[stage.developerName] =
      `Cosell_Stage__mdt.${stage.developerName}`;
  }
  for (const criterion of source.criteria) {
    source.origins[criterion.developerName] =
      `Exit_Criterion__mdt.${criterion.developerName}`;
  }
  for (const problem of problems)
    problem.origin = source.origins[problem.record];
  if (problems.length > 0) throw new ModelLoadError(problems);
  return source;
}

/** Details of the criteria compiler that mean a name is missing from the schema. */
const MISSING_NAME = [
  /^unknown (field|relationship) ([A-Za-z0-9_]+) on ([A-Za-z0-9_]+)/,
  /needs a (child relationship) of ([A-Za-z0-9_]+), and ([A-Za-z0-9_]+) is not one/,
];

/**
 * Compiles every active criterion against the described schema and rejects the
 * models when one reads a field or relationship the schema lacks. Describe omits
 * what the integration user cannot read, so the message gives both causes and
 * names the criterion and the field. The domain's loader reports other problems.
 */
export function checkCriterionFields(
  source: ModelSource,
  schema: OrgSchema,
): void {
  const problems: ModelProblem[] = [];
  for (const criterion of source.criteria) {
    if (!criterion.active) continue;
    try {
      compileFormula(criterion.formula, {
        rootObject: 'Opportunity',
        schema,
        criterionName: criterion.developerName,
      });
    } catch (error) {
      if (!(error instanceof CriteriaError)) continue;
      const missing = missingName(error.detail);
      if (!missing) continue;
      problems.push({
        record: criterion.developerName,
        origin: source.origins?.[criterion.developerName],
        line: error.line,
        column: error.column,
        message:
          `line ${error.line}, column ${error.column}: the criterion reads the ${missing.what} ${missing.path}, ` +
          "which the org's describe does not list: it does not exist, or the integration user cannot read it. " +
          'Deploy it, or grant read access to it in the Cosell_Integration permission set',
      });
    }
  }
  if (problems.length > 0) throw new ModelLoadError(problems);
}

function missingName(
  detail: string,
): { what: string; path: string } | undefined {
  const [unknownName, childRelationship] = MISSING_NAME;
  const unknown = unknownName?.exec(detail);
  if (unknown)
    return { what: unknown[1]!, path: `${unknown[3]}.${unknown[2]}` };
  const child = childRelationship?.exec(detail);
  if (child) return { what: child[1]!, path: `${child[2]}.${child[3]}` };
  return undefined;
}

const text = (value: unknown): string | null =>
  typeof value === 'string' ? value : null;
const number = (value: unknown): number | null =>
  typeof value === 'number' ? value : null;
const parentName = (record: RecordData, relationship: string): string =>
  text((record[relationship] as RecordData | null)?.DeveloperName) ?? '';

function toModel(record: RecordData): ModelRecord {
  const model: ModelRecord = {
    developerName: String(record.DeveloperName),
    label: text(record.MasterLabel) ?? String(record.DeveloperName),
    requestExpiryHours: number(record.Request_Expiry_Hours__c) ?? 0,
    registrationExpiryDays: number(record.Registration_Expiry_Days__c) ?? 0,
    vendorOnlyFields: (text(record.Vendor_Only_Fields__c) ?? '')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== ''),
  };
  const description = text(record.Description__c);
  if (description !== null) model.description = description;
  return model;
}

function toStage(record: RecordData, problems: ModelProblem[]): StageRecord {
  const category = text(record.Forecast_Category__c);
  if (!FORECAST_CATEGORIES.includes(category as ForecastCategory)) {
    problems.push({
      record: String(record.DeveloperName),
      message: `Forecast_Category__c is ${JSON.stringify(category)}; use one of ${FORECAST_CATEGORIES.join(', ')}`,
    });
  }
  return {
    developerName: String(record.DeveloperName),
    label: text(record.MasterLabel) ?? String(record.DeveloperName),
    model: parentName(record, 'Model__r'),
    value: text(record.Stage_Value__c) ?? '',
    order: number(record.Order__c) ?? 0,
    probability: number(record.Probability__c) ?? 0,
    forecastCategory: FORECAST_CATEGORIES.includes(category as ForecastCategory)
      ? (category as ForecastCategory)
      : 'Omitted',
    stallDays: number(record.Stall_Days__c),
    closed: record.Is_Closed__c === true,
    won: record.Is_Won__c === true,
  };
}

function toCriterion(
  record: RecordData,
  problems: ModelProblem[],
): CriterionRecord {
  const kind = text(record.Kind__c);
  if (kind !== 'Exit' && kind !== 'Closing') {
    problems.push({
      record: String(record.DeveloperName),
      message: `Kind__c is ${JSON.stringify(kind)}; use Exit or Closing`,
    });
  }
  return {
    developerName: String(record.DeveloperName),
    label: text(record.MasterLabel) ?? String(record.DeveloperName),
    stage: parentName(record, 'Stage__r'),
    kind: (kind === 'Closing' ? 'Closing' : 'Exit') as CriterionKind,
    formula: text(record.Formula__c) ?? '',
    ruleText: text(record.Rule_Text__c) ?? '',
    evidenceLabel: text(record.Evidence_Label__c) ?? '',
    order: number(record.Order__c) ?? 0,
    active: record.Is_Active__c === true,
  };
}
