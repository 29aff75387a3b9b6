import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  FORECAST_CATEGORIES,
  type CriterionKind,
  type CriterionRecord,
  type ModelRecord,
  type ModelSource,
  type StageRecord,
} from '../../domain/model.js';
import { findFolders, requireFolder } from './find-folders.js';
import { messageOf, ProblemList, reportReadErrors } from './force-app-error.js';
import { MetadataRecord } from './metadata-record.js';
import { readXmlRoot } from './xml-file.js';

const RECORD_FILE =
  /^(Cosell_Model|Cosell_Stage|Exit_Criterion)\.(\w+)\.md-meta\.xml$/;
const CRITERION_KINDS: readonly CriterionKind[] = ['Exit', 'Closing'];

/**
 * Reads the `Cosell_Model__mdt`, `Cosell_Stage__mdt` and `Exit_Criterion__mdt`
 * records under a package directory. Records of other types are skipped. Throws
 * `ForceAppError` listing every missing or malformed value with its file and field.
 */
export function readModelSource(packageDir: string): Promise<ModelSource> {
  return reportReadErrors(packageDir, () => readSource(packageDir));
}

async function readSource(packageDir: string): Promise<ModelSource> {
  await requireFolder(packageDir);
  const problems = new ProblemList();
  const source: Required<ModelSource> = {
    models: [],
    stages: [],
    criteria: [],
    origins: {},
  };
  for (const folder of await findFolders(packageDir, 'customMetadata')) {
    for (const file of (await readdir(folder)).sort()) {
      const match = RECORD_FILE.exec(file);
      if (!match) continue;
      const [, type, developerName] = match as unknown as [
        string,
        string,
        string,
      ];
      const path = join(folder, file);
      const report = (message: string) => problems.add(path, message);
      try {
        const xml = await readXmlRoot(path, 'CustomMetadata');
        const record = new MetadataRecord(xml, report);
        if (type === 'Cosell_Model') {
          source.models.push(toModel(developerName, record));
        } else if (type === 'Cosell_Stage') {
          source.stages.push(toStage(developerName, record));
        } else {
          source.criteria.push(toCriterion(developerName, record));
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
    evidenceLabel: record.text('Evidence_Label__c', false) ?? '',
    order: record.number('Order__c', true) ?? 0,
    active: record.checkbox('Is_Active__c', true),
  };
}
