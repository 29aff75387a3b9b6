import type { Side } from '../domain/cosell.js';
import type { StageModels } from '../domain/stage-model.js';
import { stageView } from './views.js';
import type { StageView } from './views.js';

export interface ModelView {
  name: string;
  label: string;
  requestExpiryHours: number;
  registrationExpiryDays: number;
  vendorOnlyFields: string[];
  stages: Array<
    StageView & {
      criteria: Array<{
        name: string;
        label: string;
        kind: string;
        formula: string;
        ruleText: string;
        evidenceLabel: string;
        order: number;
      }>;
    }
  >;
}

/**
 * Lists the loaded models with their stages and active criteria for a viewer on
 * `side`. Off the vendor side, a stage's probability and forecast category are
 * null where the model lists them as vendor-only.
 */
export function listStageModels(
  models: StageModels,
  side: Side | null,
): { models: ModelView[] } {
  return {
    models: [...models.values()].map((model) => ({
      name: model.developerName,
      label: model.label,
      requestExpiryHours: model.requestExpiryHours,
      registrationExpiryDays: model.registrationExpiryDays,
      vendorOnlyFields: model.vendorOnlyFields,
      stages: model.stages.map((stage) => ({
        ...stageView(stage, { model, role: { side } }),
        criteria: [...stage.exitCriteria, ...stage.closingCriteria].map(
          (c) => ({
            name: c.developerName,
            label: c.label,
            kind: c.kind,
            formula: c.formula,
            ruleText: c.ruleText,
            evidenceLabel: c.evidenceLabel,
            order: c.order,
          }),
        ),
      })),
    })),
  };
}
