import { isBlankText } from './control-characters.js';
import { compileFormula, type CriteriaError } from './criteria/index.js';
import type { CompiledFormula } from './criteria/types.js';
import type {
  CriterionRecord,
  ModelRecord,
  ModelSource,
  StageRecord,
} from './model.js';
import { FORECAST_CATEGORIES } from './model.js';
import type { OrgSchema } from './schema.js';
import {
  filePositionOf,
  type LineColumn,
  type TextInFile,
} from './text-in-file.js';
import { vendorOnlyFieldProblems } from './vendor-only-fields.js';

export interface LoadedCriterion extends CriterionRecord {
  compiled: CompiledFormula;
}

export interface LoadedStage extends StageRecord {
  exitCriteria: LoadedCriterion[];
  closingCriteria: LoadedCriterion[];
}

export interface LoadedModel extends ModelRecord {
  /** Every stage, ordered by `order`. */
  stages: LoadedStage[];
  /** Open stages in order; a deal advances through these. */
  openStages: LoadedStage[];
  wonStage: LoadedStage;
  lostStage: LoadedStage;
  stageByValue: Map<string, LoadedStage>;
}

export type StageModels = Map<string, LoadedModel>;

/** One reason a model did not load, naming the record and where it came from. */
export interface ModelProblem {
  record: string;
  origin?: string;
  message: string;
  /** Position in the criterion's formula, for parse and type errors. */
  line?: number;
  column?: number;
  /** The same position in the origin file, when the source records the formula's place in it. */
  filePosition?: LineColumn;
}

export class ModelLoadError extends Error {
  constructor(readonly problems: ModelProblem[]) {
    super(
      `The stage models did not load (${problems.length} problem` +
        `${problems.length === 1 ? '' : 's'}):\n` +
        problems
          .map(
            (p) =>
              `- ${p.record}${p.origin ? ` (${originText(p)})` : ''}: ${p.message}`,
          )
          .join('\n'),
    );
    this.name = 'ModelLoadError';
  }
}

/** The origin of a problem, with the file position where it has one: `file:line:column`. */
function originText(problem: ModelProblem): string {
  const at = problem.filePosition;
  return at ? `${problem.origin}:${at.line}:${at.column}` : `${problem.origin}`;
}

/**
 * Checks the raw metadata records and compiles every active criterion against the
 * schema. Collects every problem before failing, so an admin sees them all at once.
 */
export function loadStageModels(
  source: ModelSource,
  schema: OrgSchema,
): StageModels {
  const problems: ModelProblem[] = [];
  const origin = (name: string) => source.origins?.[name];
  const report: Report = (record, message, position) =>
    problems.push({ record, origin: origin(record), message, ...position });
  const formulasInFiles = source.formulasInFiles ?? {};

  const stagesByModel = new Map<string, StageRecord[]>();
  const stageNames = new Set<string>();
  for (const model of source.models) {
    stagesByModel.set(model.developerName, []);
    checkModelRecord(model, schema, report);
  }
  for (const stage of source.stages) {
    if (stageNames.has(stage.developerName)) {
      report(stage.developerName, 'duplicate stage DeveloperName');
    }
    stageNames.add(stage.developerName);
    const siblings = stagesByModel.get(stage.model);
    if (!siblings) {
      report(
        stage.developerName,
        `Model__c names "${stage.model}", which is not a Cosell_Model__mdt record`,
      );
      continue;
    }
    checkStageRecord(stage, siblings, schema, report);
    siblings.push(stage);
  }

  const criteriaByStage = new Map<string, LoadedCriterion[]>();
  const activeCriterionOrders = new Map<string, CriterionRecord[]>();
  for (const criterion of source.criteria) {
    if (!stageNames.has(criterion.stage)) {
      report(
        criterion.developerName,
        `Stage__c names "${criterion.stage}", which is not a Cosell_Stage__mdt record`,
      );
      continue;
    }
    if (!criterion.active) continue;
    checkCriterionOrder(criterion, activeCriterionOrders, report);
    const compiled = compileCriterion(
      criterion,
      formulasInFiles[criterion.developerName],
      schema,
      report,
    );
    if (!compiled) continue;
    const list = criteriaByStage.get(criterion.stage) ?? [];
    list.push({ ...criterion, compiled });
    criteriaByStage.set(criterion.stage, list);
  }

  const models: StageModels = new Map();
  for (const model of source.models) {
    const stages = (stagesByModel.get(model.developerName) ?? [])
      .slice()
      .sort((a, b) => a.order - b.order)
      .map((stage) => attachCriteria(stage, criteriaByStage, report));
    const loaded = assembleModel(model, stages, report);
    if (loaded) models.set(model.developerName, loaded);
  }
  if (source.models.length === 0) {
    problems.push({
      record: 'Cosell_Model__mdt',
      message: 'no model records were found; deploy at least the Default model',
    });
  }
  if (problems.length > 0) throw new ModelLoadError(problems);
  return models;
}

/**
 * Compiles the inactive criteria, which `loadStageModels` skips, and returns
 * their problems, so that a check before a deploy finds a formula that would
 * stop the models from loading once its criterion is activated.
 */
export function inactiveCriterionProblems(
  source: ModelSource,
  schema: OrgSchema,
): ModelProblem[] {
  const problems: ModelProblem[] = [];
  const report: Report = (record, message, position) =>
    problems.push({
      record,
      origin: source.origins?.[record],
      message: `${message} (the criterion is inactive, so the middleware skips it, but once Is_Active__c is set the models do not load)`,
      ...position,
    });
  for (const criterion of source.criteria) {
    if (criterion.active) continue;
    const inFile = source.formulasInFiles?.[criterion.developerName];
    compileCriterion(criterion, inFile, schema, report);
  }
  return problems;
}

type Report = (
  record: string,
  message: string,
  position?: LineColumn & { filePosition?: LineColumn },
) => void;

/** The largest values of the expiry fields, as their definitions, Number(6, 0) and Number(4, 0), allow. */
const MAX_REQUEST_EXPIRY_HOURS = 999_999;
const MAX_REGISTRATION_EXPIRY_DAYS = 9_999;

function checkModelRecord(
  model: ModelRecord,
  schema: OrgSchema,
  report: Report,
): void {
  const hours = model.requestExpiryHours;
  if (!isWholeBetween(hours, 1, MAX_REQUEST_EXPIRY_HOURS)) {
    report(
      model.developerName,
      `Request_Expiry_Hours__c must be a whole number of hours from 1 to ${MAX_REQUEST_EXPIRY_HOURS}, not ${hours}`,
    );
  }
  const days = model.registrationExpiryDays;
  if (!isWholeBetween(days, 1, MAX_REGISTRATION_EXPIRY_DAYS)) {
    report(
      model.developerName,
      `Registration_Expiry_Days__c must be a whole number of days from 1 to ${MAX_REGISTRATION_EXPIRY_DAYS}, not ${days}`,
    );
  }
  for (const problem of vendorOnlyFieldProblems(model.vendorOnlyFields)) {
    report(model.developerName, problem);
  }
  const opportunity = schema['Opportunity'];
  if (!opportunity) return;
  const fieldNames = Object.keys(opportunity.fields);
  for (const field of model.vendorOnlyFields) {
    if (opportunity.fields[field]) continue;
    // The list is matched by exact API name, so a name in another case
    // hides nothing from partner users.
    const lowered = field.toLowerCase();
    const sameIgnoringCase = fieldNames.find(
      (name) => name.toLowerCase() === lowered,
    );
    const hint = sameIgnoringCase
      ? `; field names are case-sensitive, so write ${sameIgnoringCase}`
      : '';
    report(
      model.developerName,
      `Vendor_Only_Fields__c lists "${field}", which is not an Opportunity field${hint}`,
    );
  }
}

function isWholeBetween(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

function checkStageRecord(
  stage: StageRecord,
  siblings: StageRecord[],
  schema: OrgSchema,
  report: Report,
): void {
  const name = stage.developerName;
  if (!Number.isInteger(stage.order) || stage.order < 1) {
    report(
      name,
      `Order__c must be a whole number of 1 or more, not ${stage.order}`,
    );
  }
  const clash = siblings.find((other) => other.order === stage.order);
  if (clash) {
    report(
      name,
      `Order__c ${stage.order} is also used by ${clash.developerName} in model ${stage.model}; give each stage its own order`,
    );
  }
  const label = comparableLabel(stage.label);
  const sameLabel = siblings.find(
    (other) => comparableLabel(other.label) === label,
  );
  if (sameLabel) {
    report(
      name,
      `the label "${stage.label}" is also the label of ${sameLabel.developerName} in model ${stage.model}; give each stage its own label, because people tell the stages apart by it`,
    );
  }
  const sameValue = siblings.find((other) => other.value === stage.value);
  if (sameValue) {
    report(
      name,
      `Stage_Value__c "${stage.value}" is also used by ${sameValue.developerName} in model ${stage.model}`,
    );
  }
  if (!(stage.probability >= 0 && stage.probability <= 100)) {
    report(
      name,
      `Probability__c must be between 0 and 100, not ${stage.probability}`,
    );
  }
  if (!FORECAST_CATEGORIES.includes(stage.forecastCategory)) {
    report(
      name,
      `Forecast_Category__c "${stage.forecastCategory}" is not one of ${FORECAST_CATEGORIES.join(', ')}`,
    );
  }
  if (stage.stallDays !== null && !(stage.stallDays > 0)) {
    report(
      name,
      `Stall_Days__c must be a positive number of days or blank, not ${stage.stallDays}`,
    );
  }
  if (stage.won && !stage.closed) {
    report(
      name,
      'Is_Won__c is set but Is_Closed__c is not; a won stage is closed',
    );
  }
  const picklist = schema['Opportunity']?.fields['Cosell_Stage__c'];
  if (
    picklist?.picklistValues &&
    !picklist.picklistValues.includes(stage.value)
  ) {
    report(
      name,
      `Stage_Value__c "${stage.value}" is not a value of the Opportunity.Cosell_Stage__c picklist; add it to the picklist`,
    );
  }
}

/**
 * Returns a label as people read it, to find two that look the same: without
 * invisible format characters such as U+200B (zero-width space), with runs of
 * white space as one space, and ignoring case and compatibility forms.
 */
function comparableLabel(label: string): string {
  return label
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * Reports an active criterion whose `Order__c` another active criterion of its
 * stage has, because the order decides where each rule shows on the stage path.
 * Inactive criteria are left out, so a replacement may take the order of the
 * criterion it replaces.
 */
function checkCriterionOrder(
  criterion: CriterionRecord,
  activeByStage: Map<string, CriterionRecord[]>,
  report: Report,
): void {
  const siblings = activeByStage.get(criterion.stage) ?? [];
  const clash = siblings.find((other) => other.order === criterion.order);
  if (clash) {
    report(
      criterion.developerName,
      `Order__c ${criterion.order} is also used by ${clash.developerName} on stage ${criterion.stage}; give each active criterion of a stage its own order`,
    );
  }
  siblings.push(criterion);
  activeByStage.set(criterion.stage, siblings);
}

function compileCriterion(
  criterion: CriterionRecord,
  inFile: TextInFile | undefined,
  schema: OrgSchema,
  report: Report,
): CompiledFormula | null {
  if (isBlankText(criterion.ruleText)) {
    report(
      criterion.developerName,
      'Rule_Text__c is empty; state the rule in words',
    );
  }
  if (isBlankText(criterion.evidenceLabel)) {
    report(
      criterion.developerName,
      'Evidence_Label__c is empty; name the evidence the rule looks at, such as "Customer-owned close plan step"',
    );
  }
  try {
    return compileFormula(criterion.formula, {
      rootObject: 'Opportunity',
      schema,
      criterionName: criterion.developerName,
    });
  } catch (error) {
    // Duck-typed like messageOf, as an error of another realm fails instanceof.
    const { line, column, detail } = (error ?? {}) as Partial<CriteriaError>;
    if (typeof line !== 'number' || typeof column !== 'number') {
      report(
        criterion.developerName,
        error instanceof Error ? error.message : String(error),
      );
      return null;
    }
    const filePosition =
      inFile && filePositionOf(inFile, criterion.formula, { line, column });
    report(
      criterion.developerName,
      `Formula__c line ${line}, column ${column}: ${detail ?? String(error)}`,
      filePosition ? { line, column, filePosition } : { line, column },
    );
    return null;
  }
}

function attachCriteria(
  stage: StageRecord,
  criteriaByStage: Map<string, LoadedCriterion[]>,
  report: Report,
): LoadedStage {
  const criteria = (criteriaByStage.get(stage.developerName) ?? [])
    .slice()
    .sort((a, b) => a.order - b.order);
  const exitCriteria = criteria.filter((c) => c.kind === 'Exit');
  const closingCriteria = criteria.filter((c) => c.kind === 'Closing');
  if (stage.closed && exitCriteria.length > 0) {
    report(
      stage.developerName,
      `closed stage has Exit criteria (${exitCriteria.map((c) => c.developerName).join(', ')}); a closed stage is never left, so use Kind__c Closing`,
    );
  }
  if (!stage.closed && closingCriteria.length > 0) {
    report(
      stage.developerName,
      `open stage has Closing criteria (${closingCriteria.map((c) => c.developerName).join(', ')}); use Kind__c Exit`,
    );
  }
  return { ...stage, exitCriteria, closingCriteria };
}

/** Names the stages a count check found, such as "2: Default_Won, Default_Paid". */
function stagesFound(stages: LoadedStage[]): string {
  if (stages.length === 0) return 'none';
  return `${stages.length}: ${stages.map((s) => s.developerName).join(', ')}`;
}

function assembleModel(
  model: ModelRecord,
  stages: LoadedStage[],
  report: Report,
): LoadedModel | null {
  const openStages = stages.filter((s) => !s.closed);
  const won = stages.filter((s) => s.won);
  const lost = stages.filter((s) => s.closed && !s.won);
  const name = model.developerName;
  if (openStages.length === 0) report(name, 'the model has no open stage');
  if (won.length !== 1) {
    report(
      name,
      `the model needs exactly one won stage (Is_Won__c set), found ${stagesFound(won)}`,
    );
  }
  if (lost.length !== 1) {
    report(
      name,
      `the model needs exactly one closed, not won stage (the lost stage), found ${stagesFound(lost)}`,
    );
  }
  const wonStage = won[0];
  const lostStage = lost[0];
  if (!wonStage || !lostStage || openStages.length === 0) return null;
  const lastOpen = openStages[openStages.length - 1];
  if (lastOpen && wonStage.order < lastOpen.order) {
    report(
      wonStage.developerName,
      `the won stage's Order__c ${wonStage.order} comes before the open stage ${lastOpen.developerName}; the won stage follows every open stage`,
    );
  }
  return {
    ...model,
    stages,
    openStages,
    wonStage,
    lostStage,
    stageByValue: new Map(stages.map((s) => [s.value, s])),
  };
}
