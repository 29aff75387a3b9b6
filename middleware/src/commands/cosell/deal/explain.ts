import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import { TerminalTextCommand } from '../../../cli/terminal-text.js';
import { explainDealForOps } from '../../../app/explain-deal-for-ops.js';
import type { OpsDealExplanation } from '../../../app/explain-deal-for-ops.js';
import { evidenceText } from '../../../cli/evidence-text.js';
import {
  createCommandLogger,
  loadCommandContext,
  openCommandStore,
  storeError,
} from '../../../cli/open-store.js';
import {
  isDbFlagGiven,
  requireTimeZone,
  storeFlags,
  timeZoneFlag,
} from '../../../cli/store-flags.js';
import type { CriterionResult } from '../../../domain/evaluation.js';
import type { LoadedModel } from '../../../domain/stage-model.js';
import { DomainError } from '../../../domain/domain-error.js';
import { isSalesforceId } from '../../../domain/salesforce-id.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('cosell-stages', 'cosell.deal.explain');

export type DealExplainResult = OpsDealExplanation;

/** Checks `--deal-id` as an Opportunity Id, naming the value when it is not one. */
function parseDealId(value: string): string {
  if (value.startsWith('006') && isSalesforceId(value)) return value;
  throw messages.createError('error.InvalidDealId', [value.slice(0, 40)]);
}

export default class DealExplain extends TerminalTextCommand<DealExplainResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description =
    messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    ...storeFlags,
    ...timeZoneFlag,
    'deal-id': Flags.custom<string>({
      char: 'i',
      summary: messages.getMessage('flags.deal-id.summary'),
      required: true,
      parse: (value) => Promise.resolve(parseDealId(value)),
    })(),
  };

  public async run(): Promise<DealExplainResult> {
    const { flags, raw } = await this.parse(DealExplain);
    const timeZone = requireTimeZone(flags['time-zone'], raw);
    const store = await openCommandStore(flags, createCommandLogger(), {
      dbGiven: isDbFlagGiven(raw),
    });
    try {
      const ctx = await loadCommandContext(store, timeZone);
      const explanation = await explainDealForOps(ctx, flags['deal-id']).catch(
        (error: unknown) => {
          throw dealError(error, flags['deal-id'], store.name, [
            ...ctx.models.keys(),
          ]);
        },
      );
      this.print(explanation);
      if (explanation.stageNotInModel !== null) {
        this.warnStageNotInModel(
          explanation,
          ctx.models.get(explanation.model),
        );
      }
      if (explanation.pendingRequestStageNotInModel !== null) {
        this.warnRequestStageNotInModel(
          explanation,
          ctx.models.get(explanation.model),
        );
      }
      return explanation;
    } finally {
      await store.close();
    }
  }

  /**
   * Warns that the deal is stored at a stage its model does not have, with
   * the fix. In `--json` output the warning is in `warnings`.
   */
  private warnStageNotInModel(
    deal: OpsDealExplanation,
    model: LoadedModel | undefined,
  ): void {
    const stored = deal.stageNotInModel ?? '';
    const stages = model?.stages.map((stage) => stage.value) ?? [];
    this.warn({
      name: 'StageNotInModel',
      message: messages.getMessage('warning.StageNotInModel', [
        deal.dealId,
        stored,
        deal.model,
      ]),
      actions: messages.getMessages('warning.StageNotInModel.actions', [
        stored,
        deal.model,
        stages.join(', '),
      ]),
    });
  }

  /**
   * Warns that the pending request targets a stage the model does not have,
   * with the fix. In `--json` output the warning is in `warnings`.
   */
  private warnRequestStageNotInModel(
    deal: OpsDealExplanation,
    model: LoadedModel | undefined,
  ): void {
    const target = deal.pendingRequestStageNotInModel ?? '';
    const requestId = deal.pendingRequest?.id ?? '';
    const stages = model?.stages.map((stage) => stage.value) ?? [];
    this.warn({
      name: 'RequestStageNotInModel',
      message: messages.getMessage('warning.RequestStageNotInModel', [
        requestId,
        deal.dealId,
        target,
        deal.model,
      ]),
      actions: messages.getMessages('warning.RequestStageNotInModel.actions', [
        requestId,
        stages.join(', '),
        target,
        deal.model,
      ]),
    });
  }

  private print(deal: OpsDealExplanation): void {
    const yesNo = (value: boolean) =>
      messages.getMessage(value ? 'value.yes' : 'value.no');
    const none = messages.getMessage('value.none');
    const storedStage =
      deal.stageNotInModel === null
        ? none
        : messages.getMessage('value.StageNotInModel', [deal.stageNotInModel]);
    this.styledHeader(
      messages.getMessage('header.Deal', [
        deal.name ?? none,
        deal.dealId,
        deal.model,
        deal.stage?.value ?? storedStage,
        deal.version,
      ]),
    );
    if (deal.stage && deal.stageEnteredAt) {
      this.log(
        messages.getMessage('info.Health', [
          deal.stageEnteredAt,
          deal.daysInStage ?? none,
          deal.timeZone,
          yesNo(deal.stalled),
          yesNo(deal.regressed),
        ]),
      );
    }
    if (deal.stageNotInModel !== null) {
      this.log(messages.getMessage('info.StageNotInModel'));
    } else {
      if (!deal.stage) this.log(messages.getMessage('info.NoStage'));
      // The criteria of the stage come first. Any after them are the closing
      // criteria of the won stage, because the next Advance needs them too.
      const stageValue = deal.stage?.value ?? deal.criteria[0]?.stage ?? none;
      const own = deal.criteria.filter((c) => c.stage === stageValue);
      const closing = deal.criteria.filter((c) => c.stage !== stageValue);
      this.styledHeader(
        messages.getMessage('header.Criteria', [
          stageValue,
          countMet(own),
          own.length,
        ]),
      );
      this.printCriteria(own, yesNo);
      if (closing.length > 0) {
        this.styledHeader(
          messages.getMessage('header.ClosingCriteria', [
            closing[0]!.stage,
            countMet(closing),
            closing.length,
          ]),
        );
        this.printCriteria(closing, yesNo);
      }
    }
    if (deal.regressedCriteria.length > 0) {
      this.styledHeader(messages.getMessage('header.Regressed'));
      this.printCriteria(deal.regressedCriteria, yesNo);
    }
    this.printPending(deal);
    this.printTransitions(deal, yesNo);
  }

  private printCriteria(
    criteria: CriterionResult[],
    yesNo: (value: boolean) => string,
  ): void {
    if (criteria.length === 0) {
      this.log(messages.getMessage('info.NoCriteria'));
      return;
    }
    this.table({
      data: criteria.map((criterion) => ({
        criterion: criterion.label,
        met: yesNo(criterion.met),
        rule: criterion.ruleText,
        evidence: evidenceText(criterion.evidence),
      })),
      columns: [
        { key: 'criterion', name: messages.getMessage('column.criterion') },
        { key: 'met', name: messages.getMessage('column.met') },
        { key: 'rule', name: messages.getMessage('column.rule') },
        { key: 'evidence', name: messages.getMessage('column.evidence') },
      ],
      overflow: 'wrap',
    });
  }

  private printPending(deal: OpsDealExplanation): void {
    const request = deal.pendingRequest;
    if (!request) return;
    const none = messages.getMessage('value.none');
    const toStage =
      deal.pendingRequestStageNotInModel === null
        ? request.toStage
        : messages.getMessage('value.StageNotInModel', [request.toStage]);
    this.styledHeader(messages.getMessage('header.PendingRequest'));
    this.log(
      messages.getMessage('info.Pending', [
        request.name ?? request.id,
        request.kind,
        toStage,
        request.requestedBy.name ?? request.requestedBy.id,
        request.requestingSide,
        request.createdAt,
        request.waitingFor ?? none,
        request.expiresAt,
      ]),
    );
    if (deal.pendingRequestExpired) {
      this.log(messages.getMessage('info.PendingExpired'));
    }
  }

  private printTransitions(
    deal: OpsDealExplanation,
    yesNo: (value: boolean) => string,
  ): void {
    this.styledHeader(messages.getMessage('header.Transitions'));
    if (deal.transitions.length === 0) {
      this.log(messages.getMessage('info.NoTransitions'));
      return;
    }
    const none = messages.getMessage('value.none');
    this.table({
      data: deal.transitions.map((transition) => ({
        at: transition.at,
        from: transition.fromStage ?? none,
        to: transition.toStage,
        requestedBy: transition.requestedBy.name ?? transition.requestedBy.id,
        confirmedBy: transition.confirmedBy.name ?? transition.confirmedBy.id,
        oneSided: yesNo(transition.oneSided),
      })),
      columns: [
        { key: 'at', name: messages.getMessage('column.at') },
        { key: 'from', name: messages.getMessage('column.from') },
        { key: 'to', name: messages.getMessage('column.to') },
        { key: 'requestedBy', name: messages.getMessage('column.requestedBy') },
        { key: 'confirmedBy', name: messages.getMessage('column.confirmedBy') },
        { key: 'oneSided', name: messages.getMessage('column.oneSided') },
      ],
    });
    for (const transition of deal.transitions) {
      if (transition.evidence.length === 0) continue;
      this.log(
        messages.getMessage('info.TransitionEvidence', [
          transition.fromStage ?? none,
          transition.toStage,
          transition.at,
        ]),
      );
      this.printCriteria(transition.evidence, yesNo);
    }
  }
}

/** Maps the use case's not-found and unknown-model errors to this command's. */
function dealError(
  error: unknown,
  dealId: string,
  storeName: string,
  models: string[],
): unknown {
  if (error instanceof DomainError && error.code === 'deal_not_found') {
    return messages.createError(
      'error.DealNotFound',
      [dealId, storeName],
      [],
      error,
    );
  }
  if (error instanceof DomainError && error.code === 'unknown_model') {
    return messages.createError(
      'error.UnknownModel',
      [dealId, String(error.details.value), storeName],
      [models.join(', ')],
      error,
    );
  }
  return storeError(error, storeName);
}

function countMet(criteria: readonly CriterionResult[]): number {
  return criteria.filter((criterion) => criterion.met).length;
}
