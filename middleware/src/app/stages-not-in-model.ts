import type { StageRequest } from '../domain/cosell.js';
import { stageNotInModel } from '../domain/evaluation.js';
import type { LifecycleStore } from '../org/lifecycle-store.js';
import type { CosellContext } from './cosell-context.js';
import { dealModelName } from './deal-model-name.js';

/** Only the fields the check reads, so the scan stays cheap on a large org. */
const PLAN = {
  dealFields: ['Id', 'Cosell_Model__c', 'Cosell_Stage__c'],
  children: {},
};

/** Maximum number of request Ids one warning lists, to keep the line short. */
const MAX_LOGGED_REQUEST_IDS = 20;

/** Open deals of one model stored at stages the model does not have. */
export interface StagesNotInModel {
  model: string;
  dealCount: number;
  /** Each missing stage value with its number of open deals. */
  stages: Record<string, number>;
}

/** Pending requests on open deals of one model, to stages the model does not have. */
export interface RequestsToStagesNotInModel {
  model: string;
  requestCount: number;
  /** Each missing target stage value with its number of pending requests. */
  stages: Record<string, number>;
  requestIds: string[];
}

/** The result of one scan of the open deals and their pending requests. */
export interface StageModelCheck {
  deals: StagesNotInModel[];
  requests: RequestsToStagesNotInModel[];
}

/** Groups stage requests by their deal's Id. */
export function groupByDeal(
  requests: readonly StageRequest[],
): Map<string, StageRequest[]> {
  const byDeal = new Map<string, StageRequest[]>();
  for (const request of requests) {
    const list = byDeal.get(request.dealId) ?? [];
    list.push(request);
    byDeal.set(request.dealId, list);
  }
  return byDeal;
}

/**
 * Counts, per model, the open deals whose `Cosell_Stage__c` names a stage the
 * model does not have, and the pending requests of open deals whose target
 * stage the model does not have, such as after an admin removed a
 * `Cosell_Stage__mdt` record. Deals of a model that is not loaded are left to
 * `unknown_model`. `pendingRequests` are the org's pending requests.
 */
export async function findStagesNotInModels(
  ctx: CosellContext,
  pendingRequests: readonly StageRequest[],
): Promise<StageModelCheck> {
  const pendingByDeal = groupByDeal(pendingRequests);
  const deals = new Map<string, StagesNotInModel>();
  const requests = new Map<string, RequestsToStagesNotInModel>();
  for await (const deal of ctx.gateway.streamOpenDeals(PLAN)) {
    const name = dealModelName(deal);
    const model = ctx.models.get(name);
    if (!model) continue;

    const value = stageNotInModel(model, deal);
    if (value !== null) {
      const entry = deals.get(name) ?? {
        model: name,
        dealCount: 0,
        stages: {},
      };
      entry.dealCount += 1;
      entry.stages[value] = (entry.stages[value] ?? 0) + 1;
      deals.set(name, entry);
    }

    for (const request of pendingByDeal.get(String(deal['Id'])) ?? []) {
      if (model.stageByValue.has(request.toStage)) continue;
      const entry = requests.get(name) ?? {
        model: name,
        requestCount: 0,
        stages: {},
        requestIds: [],
      };
      entry.requestCount += 1;
      entry.stages[request.toStage] = (entry.stages[request.toStage] ?? 0) + 1;
      entry.requestIds.push(request.id);
      requests.set(name, entry);
    }
  }
  return { deals: [...deals.values()], requests: [...requests.values()] };
}

function warnDeals(ctx: CosellContext, entry: StagesNotInModel): void {
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

function warnRequests(
  ctx: CosellContext,
  entry: RequestsToStagesNotInModel,
): void {
  const values = Object.keys(entry.stages).join(', ');
  ctx.logger.warn(
    {
      model: entry.model,
      requestCount: entry.requestCount,
      stages: entry.stages,
      requestIds: entry.requestIds.slice(0, MAX_LOGGED_REQUEST_IDS),
      fix: `Withdraw or reject these requests through POST /v1/stage-requests/{requestId}/withdraw or /reject, or restore the Cosell_Stage__mdt records of ${values} in model ${entry.model}.`,
    },
    `Pending stage requests of model ${entry.model} target stages the model does not have: ${entry.requestCount} to ${values}. Confirming them fails with unknown_stage`,
  );
}

/**
 * Logs one warning per model that has open deals at stages it does not have,
 * and one per model that has pending requests to such stages, each with its
 * count, for the start of the middleware. A failed scan is logged and does
 * not stop the start.
 */
export async function warnStagesNotInModels(
  ctx: CosellContext,
  store: Pick<LifecycleStore, 'listPendingRequests'>,
): Promise<void> {
  let found: StageModelCheck;
  try {
    found = await findStagesNotInModels(ctx, await store.listPendingRequests());
  } catch (error) {
    ctx.logger.warn(
      { err: error },
      'check of open deals and pending requests for stages their model does not have failed',
    );
    return;
  }
  for (const entry of found.deals) warnDeals(ctx, entry);
  for (const entry of found.requests) warnRequests(ctx, entry);
}
