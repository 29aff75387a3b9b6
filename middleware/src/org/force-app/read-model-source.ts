import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { TextInFile } from '../../domain/text-in-file.js';
import type { OrgSchema } from '../../domain/schema.js';
import {
  FORECAST_CATEGORIES,
  type CriterionKind,
  type CriterionRecord,
  type ModelRecord,
  type ModelSource,
  type StageRecord,
} from '../../domain/model.js';
import {
  developerNameProblem,
  suggestDeveloperName,
} from './developer-name.js';
import { findFolders, requireFolder } from './find-folders.js';
import { messageOf, ProblemList, reportReadErrors } from './force-app-error.js';
import { MetadataRecord } from './metadata-record.js';
import { readForceAppSchema } from './read-force-app-schema.js';
import { readXmlDocument } from './xml-file.js';
import { valueInFile } from './xml-value-positions.js';

/** A record file of one of the three types; the name part is checked on its own. */
const RECORD_FILE =
  /^(Cosell_Model|Cosell_Stage|Exit_Criterion)(?:\.(.*))?\.md-meta\.xml$/s;
const CRITERION_KINDS: readonly CriterionKind[] = ['Exit', 'Closing'];

/**
 * Reads the `Cosell_Model__mdt`, `Cosell_Stage__mdt` and `Exit_Criterion__mdt`
 * records under a package directory; files of other types are skipped. Each value
 * is checked against its field's definition in the package's object files, read
 * from `packageDir` unless `schema` gives them, and each file name against the
 * rules of a DeveloperName. Throws `ForceAppError` listing every problem with its
 * file, and the field and value where it has one.
 */
export function readModelSource(
  packageDir: string,
  schema?: OrgSchema,
): Promise<ModelSource> {
  return reportReadErrors(packageDir, async () =>
    readSource(packageDir, schema ?? (await readForceAppSchema(packageDir))),
  );
}

async function readSource(
  packageDir: string,
  schema: OrgSchema,
): Promise<ModelSource> {
  await requireFolder(packageDir);
  const problems = new ProblemList();
  const source: Required<ModelSource> = {
    models: [],
    stages: [],
    criteria: [],
    origins: {},
    formulasInFiles: {},
  };
  const missingTypes = new Set<string>();
  for (const folder of await findFolders(packageDir, 'customMetadata')) {
    for (const file of (await readdir(folder)).sort()) {
      const match = RECORD_FILE.exec(file);
      if (!match) continue;
      const type = match[1]!;
      const developerName = match[2] ?? '';
      const path = join(folder, file);
      const report = (message: string) => problems.add(path, message);
      checkFileName(type, developerName, report);
      const typeName = `${type}__mdt`;
      const typeSchema = schema[typeName];
      if (!typeSchema && !missingTypes.has(typeName)) {
        missingTypes.add(typeName);
        report(
          `the package does not define the type ${typeName}, whose field definitions this record's values are checked against; add its folder objects/${typeName} with its object and field files`,
        );
      }
      try {
        const { root, text } = await readXmlDocument(path, 'CustomMetadata');
        const record = new MetadataRecord(root, typeSchema, report);
        if (type === 'Cosell_Model') {
          source.models.push(toModel(developerName, record));
        } else if (type === 'Cosell_Stage') {
          source.stages.push(toStage(developerName, record));
        } else {
          const criterion = toCriterion(developerName, record);
          source.criteria.push(criterion);
          const inFile = formulaInFile(text, criterion.formula);
          if (inFile) source.formulasInFiles[developerName] = inFile;
        }
        source.origins[developerName] = path;
      } catch (error) {
        report(messageOf(error));
      }
    }
  }
  problems.throwIfAny();
  return source;
}

/** Reports a file whose name part is not a valid DeveloperName, with a valid one. */
function checkFileName(
  type: string,
  developerName: string,
  report: (message: string) => void,
): void {
  const problem = developerNameProblem(developerName);
  if (problem === undefined) return;
  const suggestion = suggestDeveloperName(developerName);
  const fix = suggestion
    ? `rename the file, such as to ${type}.${suggestion}.md-meta.xml`
    : 'rename the file';
  report(
    `the record name "${developerName}" (the file name between ${type}. and .md-meta.xml) is not a valid DeveloperName: ${problem}; ${fix}`,
  );
}

/** Returns the formula's place in its file, or undefined for an empty formula. */
function formulaInFile(text: string, formula: string): TextInFile | undefined {
  return formula === '' ? undefined : valueInFile(text, 'Formula__c', formula);
}

function toModel(developerName: string, record: MetadataRecord): ModelRecord {
  const vendorOnly = record.text('Vendor_Only_Fields__c', false) ?? '';
  const model: ModelRecord = {
    developerName,
    label: record.label,
    requestExpiryHours: record.number('Request_Expiry_Hours__c', true) ?? 0,
    registrationExpiryDays:
      record.number('Registration_Expiry_Days__c', true) ?? 0,
    vendorOnlyFields: vendorOnly
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== ''),
  };
  const description = record.text('Description__c', false);
  if (description !== null) model.description = description;
  return model;
}

function toStage(developerName: string, record: MetadataRecord): StageRecord {
  return {
    developerName,
    label: record.label,
    model: record.text('Model__c', true) ?? '',
    value: record.text('Stage_Value__c', true) ?? '',
    order: record.number('Order__c', true) ?? 0,
    probability: record.number('Probability__c', true) ?? 0,
    forecastCategory:
      record.choice('Forecast_Category__c', FORECAST_CATEGORIES) ?? 'Omitted',
    stallDays: record.number('Stall_Days__c', false),
    closed: record.checkbox('Is_Closed__c', false),
    won: record.checkbox('Is_Won__c', false),
  };
}

function toCriterion(
  developerName: string,
  record: MetadataRecord,
): CriterionRecord {
  return {
    developerName,
    label: record.label,
    stage: record.text('Stage__c', true) ?? '',
    kind: record.choice('Kind__c', CRITERION_KINDS) ?? 'Exit',
    formula: record.text('Formula__c', true) ?? '',
    ruleText: record.text('Rule_Text__c', true) ?? '',
    evidenceLabel: record.text('Evidence_Label__c', true) ?? '',
    order: record.number('Order__c', true) ?? 0,
    active: record.checkbox('Is_Active__c', true),
  };
}
