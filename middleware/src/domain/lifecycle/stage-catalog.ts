import { DomainError } from '../domain-error.js';
import type { LifecycleStage } from './types.js';

/** The stages of one model, looked up by value. */
export interface ModelStages {
  model: string;
  /** Every stage, ordered by `order`. */
  stages: LifecycleStage[];
  /** The open stages in order. */
  open: LifecycleStage[];
  byValue: Map<string, LifecycleStage>;
}

/** Stages of every model, keyed by model DeveloperName. */
export type StageCatalog = Map<string, ModelStages>;

/**
 * Groups stage records by model. A stage value may repeat across models but not
 * within one, and each model needs a won stage.
 */
export function buildStageCatalog(
  stages: readonly LifecycleStage[],
): StageCatalog {
  const catalog: StageCatalog = new Map();
  for (const stage of stages) {
    let entry = catalog.get(stage.model);
    if (!entry) {
      entry = { model: stage.model, stages: [], open: [], byValue: new Map() };
      catalog.set(stage.model, entry);
    }
    if (entry.byValue.has(stage.value)) {
      throw new DomainError(
        'invalid_request',
        `Model ${stage.model} has stage value "${stage.value}" twice.`,
        'Give each stage of a model its own Stage_Value__c.',
        { value: stage.value },
      );
    }
    entry.byValue.set(stage.value, stage);
    entry.stages.push(stage);
  }
  for (const entry of catalog.values()) {
    entry.stages.sort((a, b) => a.order - b.order);
    entry.open = entry.stages.filter((stage) => !stage.closed);
    if (!entry.stages.some((stage) => stage.won)) {
      throw new DomainError(
        'invalid_request',
        `Model ${entry.model} has no won stage.`,
        'Mark one closed stage of the model with Is_Won__c.',
        { value: entry.model },
      );
    }
  }
  return catalog;
}

/** Finds a stage of a model; undefined when the model or value is unknown. */
export function findStage(
  catalog: StageCatalog,
  model: string,
  value: string | null,
): LifecycleStage | undefined {
  if (value === null) return undefined;
  return catalog.get(model)?.byValue.get(value);
}

/** Finds a model's stages, or fails naming the model and the known ones. */
export function requireModel(
  catalog: StageCatalog,
  model: string,
): ModelStages {
  const entry = catalog.get(model);
  if (!entry) {
    throw new DomainError(
      'invalid_request',
      `Stage model "${model}" has no stages.`,
      `Use one of: ${[...catalog.keys()].join(', ') || '(none loaded)'}.`,
      { value: model },
    );
  }
  return entry;
}
