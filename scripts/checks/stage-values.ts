import type { Finding } from './finding.js';
import type { ForceAppIndex } from './force-app-index.js';

const CHECK = 'stage-values';
const PICKLIST = 'Opportunity.Cosell_Stage__c';

/**
 * Checks that the `Stage_Value__c` values of the `Cosell_Stage__mdt` records and the
 * values of the `Opportunity.Cosell_Stage__c` picklist are the same set. A stage
 * whose value is missing from the picklist cannot be written to a deal. A picklist
 * value without a stage is a stage that no model has.
 */
export function checkStageValues(
  index: ForceAppIndex,
  picklistFile: string,
): Finding[] {
  const field = index.orgSchema['Opportunity']?.fields['Cosell_Stage__c'];
  if (!field) {
    return [
      {
        check: CHECK,
        file: picklistFile,
        name: PICKLIST,
        message: `the picklist field is missing, so no stage value can be stored; add ${picklistFile}`,
      },
    ];
  }
  const picklist = new Set(field.picklistValues ?? []);
  const findings: Finding[] = [];
  const stageValues = new Set<string>();
  for (const stage of index.models.stages) {
    stageValues.add(stage.value);
    if (!picklist.has(stage.value)) {
      findings.push({
        check: CHECK,
        file:
          index.models.origins?.[stage.developerName] ?? stage.developerName,
        name: stage.value,
        message: `Stage_Value__c "${stage.value}" of ${stage.developerName} is not a value of the ${PICKLIST} picklist; add it to ${picklistFile} or fix the record`,
      });
    }
  }
  for (const value of picklist) {
    if (!stageValues.has(value)) {
      findings.push({
        check: CHECK,
        file: picklistFile,
        name: value,
        message: `picklist value "${value}" is the Stage_Value__c of no Cosell_Stage__mdt record; add the stage record or remove the value`,
      });
    }
  }
  return findings;
}
