import { readFile } from 'node:fs/promises';
import { describe, expect, it } from '@jest/globals';
import type { ModelView } from '../../../middleware/src/app/stage-models-view.js';
import { readModelSource } from '../../../middleware/src/org/force-app/index.js';

/**
 * The stage models that the sync board's and the stage path's LWC tests feed
 * to the components.
 * NOTE: other LWC test data, such as cosellStagePath's evaluationMet.json,
 * still quotes the earlier Both_Sides_Confirmed and Cross_Side_Handoff texts.
 */
const LWC_MODEL_FILES = [
  'force-app/main/default/lwc/cosellSyncBoard/__tests__/data/stageModels.json',
  'force-app/main/default/lwc/cosellStagePath/__tests__/data/stageModels.json',
];

describe.each(LWC_MODEL_FILES)('%s', (file) => {
  it('quote the shipped criteria', async () => {
    const data = JSON.parse(await readFile(file, 'utf8')) as {
      models: ModelView[];
    };
    const source = await readModelSource('force-app');
    const records = new Map(
      source.criteria.map((record) => [record.developerName, record]),
    );
    const quoted = data.models.flatMap((model) =>
      model.stages.flatMap((stage) => stage.criteria),
    );
    expect(quoted.length).toBeGreaterThan(0);
    for (const criterion of quoted) {
      const record = records.get(criterion.name);
      expect(record).toBeDefined();
      expect(criterion).toEqual({
        name: record!.developerName,
        label: record!.label,
        kind: record!.kind,
        formula: record!.formula,
        ruleText: record!.ruleText,
        evidenceLabel: record!.evidenceLabel,
        order: record!.order,
      });
    }
  });
});
