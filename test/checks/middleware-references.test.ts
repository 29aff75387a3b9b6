import { describe, expect, test } from '@jest/globals';
import * as apiNames from '../../middleware/src/domain/api-names.js';
import {
  API_NAMES_FILE,
  middlewareReferences,
} from '../../scripts/checks/middleware-references.js';

describe('middlewareReferences', () => {
  test('every api-names map is placed', () => {
    const { references, findings } = middlewareReferences();

    expect(findings).toEqual([]);
    expect(references).toContainEqual({
      kind: 'field',
      file: API_NAMES_FILE,
      object: 'Opportunity',
      path: apiNames.OPPORTUNITY_FIELDS.stage,
    });
    expect(references).toContainEqual({
      kind: 'child-relationship',
      file: API_NAMES_FILE,
      object: 'Opportunity',
      name: apiNames.RELATIONSHIPS.planSteps,
    });
    expect(references).toContainEqual({
      kind: 'object',
      file: API_NAMES_FILE,
      object: apiNames.OBJECTS.request,
    });
  });

  test('unknown field map is a finding', () => {
    const { findings } = middlewareReferences(
      { SPLIT_FIELDS: { percent: 'Split_Percent__c' } },
      'api-names.ts',
    );

    expect(findings).toEqual([
      {
        check: 'cross-reference',
        file: 'api-names.ts',
        name: 'SPLIT_FIELDS',
        message:
          'FIELD_MAP_OBJECTS in scripts/checks/middleware-references.ts names no object for SPLIT_FIELDS; add the object whose fields it maps',
      },
    ]);
  });
});
