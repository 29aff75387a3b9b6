import { Messages } from '@salesforce/core';
import { TerminalTextCommand } from '../../../cli/terminal-text.js';
import { evaluatePipeline } from '../../../app/evaluate-pipeline.js';
import type { PipelineEvaluation } from '../../../app/evaluate-pipeline.js';
import {
  createCommandLogger,
  loadCommandContext,
  openCommandStore,
  storeError,
} from '../../../cli/open-store.js';
import type { CommandStore } from '../../../cli/open-store.js';
import type { CosellContext } from '../../../app/cosell-context.js';
import type { StageRequest } from '../../../domain/cosell.js';
import { countMessage } from '../../../cli/count-message.js';
import { withDealProgress } from '../../../cli/deal-progress.js';
import {
  isDbFlagGiven,
  requireTimeZone,
  storeFlags,
  timeZoneFlag,
} from '../../../cli/store-flags.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages(
  'cosell-stages',
  'cosell.pipeline.evaluate',
);

export type PipelineEvaluateResult = PipelineEvaluation;

export default class PipelineEvaluate extends TerminalTextCommand<PipelineEvaluateResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description =
    messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    ...storeFlags,
    ...timeZoneFlag,
  };

  public async run(): Promise<PipelineEvaluateResult> {
    const { flags, raw } = await this.parse(PipelineEvaluate);
    const timeZone = requireTimeZone(flags['time-zone'], raw);
    const store = await openCommandStore(flags, createCommandLogger(), {
      dbGiven: isDbFlagGiven(raw),
    });
    try {
      const ctx = await loadCommandContext(store, timeZone);
      const pendingRequests = await readPendingRequests(store, ctx);
      const evaluation = await withDealProgress(
        this.progress,
        store,
        {
          title: messages.getMessage('progress.Title'),
          format: messages.getMessage('progress.Format'),
        },
        (onDeal) => evaluatePipeline(ctx, { pendingRequests, onDeal }),
      );
      this.print(evaluation, store.name);
      return evaluation;
    } finally {
      await store.close();
    }
  }

  /**
   * Prints a table of the flagged rows under the header `header.<name>` and
   * warns with `warning.<name>` and its fix. In `--json` output the warning is
   * in `warnings`.
   */
  private printFlagged(
    name: 'StagesNotInModel' | 'RequestsToStagesNotInModel',
    rows: Array<Record<string, string>>,
    columns: Array<[key: string, message: string]>,
  ): void {
    if (rows.length === 0) return;
    this.styledHeader(messages.getMessage(`header.${name}`));
    this.table({
      data: rows,
      columns: columns.map(([key, message]) => ({
        key,
        name: messages.getMessage(message),
      })),
    });
    this.warn({
      name,
      message: countMessage(messages, `warning.${name}`, rows.length),
      actions: messages.getMessages(`warning.${name}.actions`),
    });
  }

  /** Lists the deals stored at a stage their model does not have. */
  private printStagesNotInModel(evaluation: PipelineEvaluation): void {
    const none = messages.getMessage('value.none');
    this.printFlagged(
      'StagesNotInModel',
      evaluation.stagesNotInModel.map((deal) => ({
        deal: deal.dealId,
        name: deal.name ?? none,
        model: deal.model,
        stage: deal.stage,
      })),
      [
        ['deal', 'column.deal'],
        ['name', 'column.name'],
        ['model', 'column.model'],
        ['stage', 'column.storedStage'],
      ],
    );
  }

  /** Lists the pending requests to a stage their deal's model does not have. */
  private printRequestsToStagesNotInModel(
    evaluation: PipelineEvaluation,
  ): void {
    const none = messages.getMessage('value.none');
    this.printFlagged(
      'RequestsToStagesNotInModel',
      evaluation.requestsToStagesNotInModel.map((request) => ({
        request: request.requestId,
        deal: request.dealId,
        name: request.name ?? none,
        model: request.model,
        kind: request.kind,
        stage: request.stage,
      })),
      [
        ['request', 'column.request'],
        ['deal', 'column.deal'],
        ['name', 'column.name'],
        ['model', 'column.model'],
        ['kind', 'column.kind'],
        ['stage', 'column.targetStage'],
      ],
    );
  }

  private print(evaluation: PipelineEvaluation, storeName: string): void {
    const none = messages.getMessage('value.none');
    this.log(
      messages.getMessage('info.Summary', [
        evaluation.evaluated,
        countMessage(messages, 'count.OpenDeals', evaluation.openDeals),
        storeName,
        evaluation.timeZone,
        countMessage(
          messages,
          'count.AllCriteriaMet',
          evaluation.allCriteriaMet,
        ),
        evaluation.regressions.length,
        evaluation.stalls.length,
      ]),
    );
    if (evaluation.withoutStage > 0) {
      this.log(countMessage(messages, 'info.NoStage', evaluation.withoutStage));
    }
    this.printStagesNotInModel(evaluation);
    this.printRequestsToStagesNotInModel(evaluation);
    if (evaluation.regressions.length > 0) {
      this.styledHeader(messages.getMessage('header.Regressions'));
      this.table({
        data: evaluation.regressions.map((deal) => ({
          deal: deal.dealId,
          name: deal.name ?? none,
          stage: deal.stage,
          from: deal.enteredFrom ?? none,
          failing: deal.failing.map((criterion) => criterion.label).join('; '),
        })),
        columns: [
          { key: 'deal', name: messages.getMessage('column.deal') },
          { key: 'name', name: messages.getMessage('column.name') },
          { key: 'stage', name: messages.getMessage('column.stage') },
          { key: 'from', name: messages.getMessage('column.from') },
          { key: 'failing', name: messages.getMessage('column.failing') },
        ],
        overflow: 'wrap',
      });
    }
    if (evaluation.stalls.length > 0) {
      this.styledHeader(messages.getMessage('header.Stalls'));
      this.table({
        data: evaluation.stalls.map((deal) => ({
          deal: deal.dealId,
          name: deal.name ?? none,
          stage: deal.stage,
          entered: deal.stageEnteredAt,
          days: deal.daysInStage,
          stallDays: deal.stallDays,
        })),
        columns: [
          { key: 'deal', name: messages.getMessage('column.deal') },
          { key: 'name', name: messages.getMessage('column.name') },
          { key: 'stage', name: messages.getMessage('column.stage') },
          { key: 'entered', name: messages.getMessage('column.entered') },
          { key: 'days', name: messages.getMessage('column.days') },
          { key: 'stallDays', name: messages.getMessage('column.stallDays') },
        ],
      });
    }
    if (evaluation.problems.length > 0) {
      this.styledHeader(messages.getMessage('header.Problems'));
      this.table({
        data: evaluation.problems.map((problem) => ({
          deal: problem.dealId,
          problem: problem.message,
        })),
        columns: [
          { key: 'deal', name: messages.getMessage('column.deal') },
          { key: 'problem', name: messages.getMessage('column.problem') },
        ],
        overflow: 'wrap',
      });
    }
  }
}

/**
 * Reads the pending stage requests of the command's store, for the check of
 * their target stages. A failed read is mapped to the store's error message.
 */
async function readPendingRequests(
  store: CommandStore,
  ctx: CosellContext,
): Promise<StageRequest[]> {
  const lifecycle = store.openLifecycleStore({
    schema: ctx.schema,
    now: ctx.now,
  });
  try {
    return await lifecycle.store.listPendingRequests();
  } catch (error) {
    throw storeError(error, store.name);
  } finally {
    await lifecycle.close();
  }
}
