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

/** The loaded models with their stages and active criteria. */
export function listStageModels(models: StageModels): { models: ModelView[] } {
  return {
    models: [...models.values()].map((model) => ({
      name: model.developerName,
      label: model.label,
      requestExpiryHours: model.requestExpiryHours,
      registrationExpiryDays: model.registrationExpiryDays,
      vendorOnlyFields: model.vendorOnlyFields,
      stages: model.stages.map((stage) => ({
        ...stageView(stage),
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
