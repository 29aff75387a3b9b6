import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import { TerminalTextCommand } from '../../../cli/terminal-text.js';
import { exportOpsReport } from '../../../app/export-ops-report.js';
import type { LifecycleContext } from '../../../app/lifecycle/lifecycle-context.js';
import type {
  OpsReportRequest,
  OpsReportResult,
} from '../../../app/export-ops-report.js';
import { countMessage } from '../../../cli/count-message.js';
import { openCommandLifecycle } from '../../../cli/open-lifecycle.js';
import type { CommandLifecycle } from '../../../cli/open-lifecycle.js';
import {
  rejectStoreFile,
  resolveOutputFile,
  writeOutputFile,
} from '../../../cli/output-file.js';
import type { OutputFile } from '../../../cli/output-file.js';
import {
  createCommandLogger,
  loadCommandContext,
  openCommandStore,
  storeError,
} from '../../../cli/open-store.js';
import type { CommandStore } from '../../../cli/open-store.js';
import {
  isDbFlagGiven,
  requireTimeZone,
  storeFlags,
  timeZoneFlag,
} from '../../../cli/store-flags.js';
import { StopSignalCleanup } from '../../../cli/stop-signals.js';
import { ConfigError } from '../../../config.js';
import { DomainError } from '../../../domain/domain-error.js';
import { REPORT_FORMATS } from '../../../reports/report-definition.js';
import { ReportError } from '../../../reports/report-error.js';
import {
  REPORT_NAMES,
  REPORT_ONLY_OPTIONS,
  findReport,
} from '../../../reports/registry.js';
import type { ReportName } from '../../../reports/registry.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('cosell-stages', 'cosell.report.export');

export interface ReportExportResult extends OpsReportResult {
  report: string;
  format: string;
  /** Absolute path of --output-file, which may be a symbolic link. */
  outputFile: string;
  /** The store file, or the org's username. */
  store: string;
}

export default class ReportExport extends TerminalTextCommand<ReportExportResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description =
    messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    ...storeFlags,
    ...timeZoneFlag,
    report: Flags.option({
      char: 'r',
      summary: messages.getMessage('flags.report.summary'),
      options: REPORT_NAMES,
      required: true,
    })(),
    format: Flags.option({
      summary: messages.getMessage('flags.format.summary'),
      options: REPORT_FORMATS,
      required: true,
    })(),
    'output-file': Flags.file({
      char: 'f',
      summary: messages.getMessage('flags.output-file.summary'),
      required: true,
    }),
    bom: Flags.boolean({
      summary: messages.getMessage('flags.bom.summary'),
      default: false,
    }),
    quarters: Flags.integer({
      summary: messages.getMessage('flags.quarters.summary'),
      min: 1,
      max: 8,
      default: 4,
    }),
    'expiring-within-days': Flags.integer({
      summary: messages.getMessage('flags.expiring-within-days.summary'),
      min: 0,
      max: 365,
      default: 14,
    }),
  };

  public async run(): Promise<ReportExportResult> {
    const { flags, metadata, raw } = await this.parse(ReportExport);
    const timeZone = requireTimeZone(flags['time-zone'], raw);
    const request: OpsReportRequest = {
      report: flags.report,
      format: flags.format,
      bom: flags.bom,
      quarters: flags.quarters,
      expiringWithinDays: flags['expiring-within-days'],
    };
    checkRequest(request);
    checkReportFlags(request.report, metadata);
    // Checked before the store opens, so a bad path fails fast.
    const output = resolveOutputFile(
      flags['output-file'],
      `cosell-${request.report}.${request.format}`,
    );
    // Checked without --local as well, because --db and COSELL_DB_PATH name
    // the local store that the middleware serves even when this reads an org.
    rejectStoreFile(output, flags.db);
    let renamed = false;
    const stopCleanup = new StopSignalCleanup((signal) =>
      renamed
        ? messages.getMessage('info.StoppedAfterWrite', [
            signal,
            output.requested,
          ])
        : messages.getMessage('info.Stopped', [signal, output.requested]),
    );
    stopCleanup.install();
    try {
      // NOTE: a signal while the store opens exits before the store is closed,
      // because it has no cleanup step yet, so -wal and -shm files may stay.
      const store = await openCommandStore(flags, createCommandLogger(), {
        dbGiven: isDbFlagGiven(raw),
      });
      return await this.export(store, request, timeZone, output, stopCleanup, {
        onRenamed: () => {
          renamed = true;
        },
      });
    } finally {
      stopCleanup.uninstall();
    }
  }

  /**
   * Writes the report from `store` to `output`, prints the result and closes
   * the store. On a stop signal, `stopCleanup` closes the store and removes the
   * temporary file. `onRenamed` runs once the report is at `output`.
   */
  private async export(
    store: CommandStore,
    request: OpsReportRequest,
    timeZone: string,
    output: OutputFile,
    stopCleanup: StopSignalCleanup,
    { onRenamed }: { onRenamed: () => void },
  ): Promise<ReportExportResult> {
    // The local store's close has no await, so calling it closes the SQLite
    // connections before the stop listener exits. That checkpoints the WAL
    // and removes the -wal and -shm files.
    const removeStoreStep = stopCleanup.add(() => void store.close());
    try {
      const cosell = await loadCommandContext(store, timeZone);
      const lifecycle = await openLifecycle(store.name, () =>
        openCommandLifecycle(store, cosell),
      );
      const removeLifecycleStep = stopCleanup.add(() => void lifecycle.close());
      try {
        const convertedCurrencies = new Set<string>();
        const context = { ...lifecycle.context, convertedCurrencies };
        const written = await writeOutputFile(
          output,
          (out) => exportOpsReport(context, request, out),
          stopCleanup,
        ).catch((error: unknown) => {
          throw exportError(error, request.report, store.name, context);
        });
        onRenamed();
        this.noteRates(lifecycle, [...convertedCurrencies].sort());
        const result: ReportExportResult = {
          ...written,
          report: request.report,
          format: request.format,
          outputFile: output.requested,
          store: store.name,
        };
        this.print(result);
        return result;
      } finally {
        removeLifecycleStep();
        await lifecycle.close();
      }
    } finally {
      removeStoreStep();
      await store.close();
    }
  }

  /**
   * Names the currencies the report converted and where their rates come
   * from: a warning, on stderr or in the --json warnings, for the demo's
   * stand-in rates, and an info line for COSELL_CURRENCY_RATES.
   */
  private noteRates(lifecycle: CommandLifecycle, converted: string[]): void {
    if (converted.length === 0) return;
    const { corporate, rates } = lifecycle.context.settings.currency;
    const pairs = converted.map((code) => `${code}=${rates[code]}`).join(',');
    if (lifecycle.demoRates) {
      this.warn(
        messages.getMessage('warning.DemoRates', [
          converted.join(', '),
          corporate,
          pairs,
        ]),
      );
    } else {
      this.info(
        messages.getMessage('info.ConfiguredRates', [
          converted.join(', '),
          corporate,
          pairs,
        ]),
      );
    }
  }

  private print(result: ReportExportResult): void {
    if (result.skippedDeals > 0) {
      this.warn(
        countMessage(messages, 'warning.SkippedDeals', result.skippedDeals),
      );
    }
    this.logSuccess(
      result.rows === null
        ? messages.getMessage('info.Document', [
            result.report,
            result.format,
            result.outputFile,
            countMessage(messages, 'count.Bytes', result.bytes),
          ])
        : messages.getMessage('info.Written', [
            result.report,
            result.format,
            result.outputFile,
            countMessage(messages, 'count.Rows', result.rows),
            countMessage(messages, 'count.Bytes', result.bytes),
          ]),
    );
  }
}

/** Fails on a format the report does not offer, or on --bom without CSV. */
function checkRequest(request: OpsReportRequest): void {
  const offered = findReport(request.report).formats;
  if (!offered.includes(request.format)) {
    throw messages.createError(
      'error.UnsupportedFormat',
      [request.report, request.format],
      [offered.join(', ')],
    );
  }
  if (request.bom && request.format !== 'csv') {
    throw messages.createError('error.BomWithoutCsv', [request.format]);
  }
}

/**
 * Fails on a flag given for a report that does not read it. oclif lists in
 * `metadata.flags` only the flags it set from their default, so a flag absent
 * there was typed.
 */
function checkReportFlags(
  report: ReportName,
  metadata: { flags: Record<string, { setFromDefault?: boolean } | undefined> },
): void {
  for (const { flag, reports } of REPORT_ONLY_OPTIONS) {
    const readers: readonly ReportName[] = reports;
    if (metadata.flags[flag]?.setFromDefault === true) continue;
    if (readers.includes(report)) continue;
    throw messages.createError(
      'error.FlagNotForReport',
      [flag, readers.join(', '), report],
      [flag, readers.join(' or --report ')],
    );
  }
}

async function openLifecycle(
  storeName: string,
  open: () => Promise<CommandLifecycle>,
): Promise<CommandLifecycle> {
  try {
    return await open();
  } catch (error) {
    if (error instanceof ConfigError) {
      throw messages.createError(
        'error.InvalidSettings',
        [error.problems.join('; ')],
        [],
        error,
      );
    }
    throw storeError(error, storeName);
  }
}

/** Maps the failures of an export that the user can act on. */
function exportError(
  error: unknown,
  report: string,
  storeName: string,
  context: LifecycleContext,
): unknown {
  if (error instanceof ReportError || error instanceof DomainError) {
    return messages.createError(
      'error.ExportFailed',
      [report, error.message],
      [commandFix(error, context)],
      error,
    );
  }
  return storeError(error, storeName);
}

/**
 * Returns the fix of a failed export. A missing currency rate gets the fix
 * for this command, because the use case's fix asks the user to restart the
 * middleware, which a CLI user does not run.
 */
function commandFix(
  error: ReportError | DomainError,
  context: LifecycleContext,
): string {
  if (
    !(error instanceof DomainError) ||
    error.code !== 'currency_rate_missing'
  ) {
    return error.fix;
  }
  const code = String(error.details.value);
  return messages.getMessage('action.CurrencyRateMissing', [
    code,
    code,
    context.settings.currency.corporate,
  ]);
}
