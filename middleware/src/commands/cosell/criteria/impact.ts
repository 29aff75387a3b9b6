import path from 'node:path';
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import { TerminalTextCommand } from '../../../cli/terminal-text.js';
import { criteriaImpact } from '../../../app/criteria-impact.js';
import type {
  CriteriaImpact,
  DealImpact,
} from '../../../app/criteria-impact.js';
import {
  createCommandLogger,
  openCommandStore,
  sourceError,
  storeError,
} from '../../../cli/open-store.js';
import { countMessage } from '../../../cli/count-message.js';
import { withDealProgress } from '../../../cli/deal-progress.js';
import {
  requirePackageFolder,
  sourceDirFlag,
} from '../../../cli/source-dir.js';
import {
  isDbFlagGiven,
  requireTimeZone,
  storeFlags,
  timeZoneFlag,
} from '../../../cli/store-flags.js';
import type { ModelSource } from '../../../domain/model.js';
import type { OrgSchema } from '../../../domain/schema.js';
import {
  ModelLoadError,
  loadStageModels,
} from '../../../domain/stage-model.js';
import type { StageModels } from '../../../domain/stage-model.js';
import { readModelSource } from '../../../org/force-app/index.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages(
  'cosell-stages',
  'cosell.criteria.impact',
);

export interface CriteriaImpactResult extends CriteriaImpact {
  /** The store whose open deals were evaluated: its file or the org's username. */
  store: string;
  /** The folder of the changed models. */
  sourceDir: string;
  /** The models that run now: a folder, or the org's custom metadata records. */
  baseline: { kind: 'folder' | 'org'; name: string };
}

export default class CriteriaImpactCommand extends TerminalTextCommand<CriteriaImpactResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description =
    messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    ...storeFlags,
    ...timeZoneFlag,
    'source-dir': sourceDirFlag(
      messages.getMessage('flags.source-dir.summary'),
    ),
    'baseline-dir': Flags.directory({
      summary: messages.getMessage('flags.baseline-dir.summary'),
      exists: true,
    }),
  };

  public async run(): Promise<CriteriaImpactResult> {
    const { flags, raw } = await this.parse(CriteriaImpactCommand);
    const timeZone = requireTimeZone(flags['time-zone'], raw);
    // Created before any warning, so an invalid COSELL_LOG_LEVEL fails first.
    const logger = createCommandLogger();
    const sourceDir = flags['source-dir'];
    const baselineDir = flags['baseline-dir'];
    if (flags.local && !baselineDir) {
      throw messages.createError('error.BaselineRequired');
    }
    if (baselineDir && path.resolve(baselineDir) === path.resolve(sourceDir)) {
      this.warn(
        messages.getMessage('warning.SameFolder', [path.resolve(sourceDir)]),
      );
    }
    const store = await openCommandStore(flags, logger, {
      dbGiven: isDbFlagGiven(raw),
    });
    try {
      const schema = await store.gateway
        .describeSchema()
        .catch((error: unknown) => {
          throw storeError(error, store.name);
        });
      const baselineSource = baselineDir
        ? await readFolder(baselineDir, '--baseline-dir')
        : await store.gateway.loadModelSource().catch((error: unknown) => {
            throw storeError(error, store.name);
          });
      const baseline = loadModels(baselineSource, schema, (error) =>
        messages.createError(
          'error.BaselineInvalid',
          [baselineDir ?? store.name, store.name, error.message],
          [],
          error,
        ),
      );
      const proposed = loadModels(
        await readFolder(sourceDir, '--source-dir'),
        schema,
        (error) =>
          messages.createError(
            'error.ProposedInvalid',
            [sourceDir, store.name, error.message],
            [sourceDir],
            error,
          ),
      );
      const impact = await withDealProgress(
        this.progress,
        store,
        {
          title: messages.getMessage('progress.Title'),
          format: messages.getMessage('progress.Format'),
        },
        (onDeal) =>
          criteriaImpact({
            gateway: store.gateway,
            baseline,
            proposed,
            env: { now: new Date(), timeZone },
            onDeal,
          }),
      );
      const result: CriteriaImpactResult = {
        ...impact,
        store: store.name,
        sourceDir,
        baseline: baselineDir
          ? { kind: 'folder', name: baselineDir }
          : { kind: 'org', name: store.name },
      };
      this.print(result);
      return result;
    } finally {
      await store.close();
    }
  }

  private print(result: CriteriaImpactResult): void {
    const baseline =
      result.baseline.kind === 'folder'
        ? result.baseline.name
        : messages.getMessage('info.OrgRecords');
    this.log(
      messages.getMessage('info.Summary', [
        countMessage(messages, 'count.OpenDeals', result.evaluated),
        result.store,
        result.sourceDir,
        baseline,
        result.metToUnmet,
        result.unmetToMet,
        result.otherChanges,
      ]),
    );
    if (result.criteriaChangedOnly > 0) {
      this.log(
        countMessage(messages, 'info.CriteriaOnly', result.criteriaChangedOnly),
      );
    }
    this.printNotEvaluated(result);
    if (result.changed.length === 0) {
      this.log(messages.getMessage('info.NoChange'));
    } else {
      this.styledHeader(messages.getMessage('header.Changed'));
      this.printDeals(result.changed);
    }
    if (result.criteriaChanged.length > 0) {
      this.styledHeader(messages.getMessage('header.CriteriaChanged'));
      this.printDeals(result.criteriaChanged);
    }
  }

  private printDeals(deals: DealImpact[]): void {
    const none = messages.getMessage('value.none');
    this.table({
      data: deals.map((deal: DealImpact) => ({
        deal: deal.dealId,
        name: deal.name ?? none,
        stage: deal.stage ?? none,
        before: deal.before,
        after: deal.after,
        criteria: deal.criteria.map((criterion) => criterion.label).join('; '),
      })),
      columns: [
        { key: 'deal', name: messages.getMessage('column.deal') },
        { key: 'name', name: messages.getMessage('column.name') },
        { key: 'stage', name: messages.getMessage('column.stage') },
        { key: 'before', name: messages.getMessage('column.before') },
        { key: 'after', name: messages.getMessage('column.after') },
        { key: 'criteria', name: messages.getMessage('column.criteria') },
      ],
      overflow: 'wrap',
    });
  }

  private printNotEvaluated(result: CriteriaImpactResult): void {
    if (result.notEvaluated.length === 0) return;
    this.styledHeader(messages.getMessage('header.NotEvaluated'));
    this.table({
      data: result.notEvaluated.map((problem) => ({
        deal: problem.dealId,
        record: `${problem.object} ${problem.recordId}`,
        field: problem.field,
        problem: problem.message,
      })),
      columns: [
        { key: 'deal', name: messages.getMessage('column.deal') },
        { key: 'record', name: messages.getMessage('column.record') },
        { key: 'field', name: messages.getMessage('column.field') },
        { key: 'problem', name: messages.getMessage('column.problem') },
      ],
      overflow: 'wrap',
    });
  }
}

async function readFolder(
  folder: string,
  flag: '--source-dir' | '--baseline-dir',
): Promise<ModelSource> {
  await requirePackageFolder(folder, flag);
  try {
    return await readModelSource(folder);
  } catch (error) {
    throw sourceError(error, folder, flag);
  }
}

/** Compiles models against the store's schema, mapping a load failure with `toError`. */
function loadModels(
  source: ModelSource,
  schema: OrgSchema,
  toError: (error: ModelLoadError) => Error,
): StageModels {
  try {
    return loadStageModels(source, schema);
  } catch (error) {
    if (error instanceof ModelLoadError) throw toError(error);
    throw error;
  }
}
