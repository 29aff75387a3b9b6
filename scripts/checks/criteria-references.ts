import {
  compileFormula,
  CriteriaError,
} from '../../middleware/src/domain/criteria/index.js';
import type { Finding } from './finding.js';
import type { ForceAppIndex } from './force-app-index.js';

const CHECK = 'cross-reference';

/**
 * Compiles the formula of every `Exit_Criterion__mdt` record, active or not, with
 * the middleware's criteria compiler against the `force-app` schema, so a formula
 * that names a missing field, relationship or function fails here instead of when
 * the model loads. Each finding names the record's file and the unknown name.
 */
export function checkCriteriaFormulas(index: ForceAppIndex): Finding[] {
  const findings: Finding[] = [];
  for (const criterion of index.models.criteria) {
    const file =
      index.models.origins?.[criterion.developerName] ??
      `Exit_Criterion.${criterion.developerName}`;
    try {
      compileFormula(criterion.formula, {
        rootObject: 'Opportunity',
        schema: index.orgSchema,
        criterionName: criterion.developerName,
      });
    } catch (error) {
      if (!(error instanceof CriteriaError)) throw error;
      findings.push({
        check: CHECK,
        file,
        name: error.found ?? criterion.developerName,
        message: `Formula__c: ${error.message}`,
      });
    }
  }
  return findings;
}
