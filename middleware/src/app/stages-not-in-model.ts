import { stageNotInModel } from '../domain/evaluation.js';
import type { CosellContext } from './cosell-context.js';
import { dealModelName } from './deal-model-name.js';

/** Only the fields the check reads, so the scan stays cheap on a large org. */
const PLAN = {
  dealFields: ['Id', 'Cosell_Model__c', 'Cosell_Stage__c'],
  children: {},
};

/** Open deals of one model stored at stages the model does not have. */
export interface StagesNotInModel {
  model: string;
  dealCount: number;
  /** Each missing stage value with its number of open deals. */
  stages: Record<string, number>;
}

/**
 * Counts, per model, the open deals whose `Cosell_Stage__c` names a stage the
 * model does not have, such as after an admin removed a `Cosell_Stage__mdt`
 * record. Deals of a model that is not loaded are left to `unknown_model`.
 */
export async function findStagesNotInModels(
  ctx: CosellContext,
): Promise<StagesNotInModel[]> {
  const byModel = new Map<string, StagesNotInModel>();
  for await (const deal of ctx.gateway.streamOpenDeals(PLAN)) {
    const name = dealModelName(deal);
    const model = ctx.models.get(name);
    const value = model ? stageNotInModel(model, deal) : null;
    if (value === null) continue;
    const entry = byModel.get(name) ?? {
      model: name,
      dealCount: 0,
      stages: {},
    };
    entry.dealCount += 1;
    entry.stages[value] = (entry.stages[value] ?? 0) + 1;
    byModel.set(name, entry);
  }
  return [...byModel.values()];
}

/**
 * Logs one warning per model that has open deals at stages it does not have,
 * with their count, for the start of the middleware. A failed scan is logged
 * and does not stop the start.
 */
export async function warnStagesNotInModels(ctx: CosellContext): Promise<void> {
  let found: StagesNotInModel[];
  try {
    found = await findStagesNotInModels(ctx);
  } catch (error) {
    ctx.logger.warn(
      { err: error },
      'check of open deals for stages their model does not have failed',
    );
    return;
  }
  for (const entry of found) {
    const values = Object.keys(entry.stages).join(', ');
    ctx.logger.warn(
      {
        model: entry.model,
        dealCount: entry.dealCount,
        stages: entry.stages,
        fix: `Restore the Cosell_Stage__mdt records of ${values} in model ${entry.model}, or move the deals with a data fix.`,
      },
      `Open deals of model ${entry.model} are stored at stages the model does not have: ${entry.dealCount} at ${values}. They cannot be evaluated or moved`,
    );
  }
}
