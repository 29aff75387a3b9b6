import { Messages } from '@salesforce/core';
import { TerminalTextCommand } from '../../../cli/terminal-text.js';
import type { AnyJson } from '@salesforce/ts-types';
import { validateCriteriaSource } from '../../../app/validate-criteria-source.js';
import type { CriteriaSourceReport } from '../../../app/validate-criteria-source.js';
import { commandLogLevel } from '../../../cli/open-store.js';
import { requireTimeZoneVariable } from '../../../cli/store-flags.js';
import {
  requirePackageFolder,
  sourceDirFlag,
} from '../../../cli/source-dir.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages(
  'cosell-stages',
  'cosell.criteria.validate',
);

export type CriteriaValidateResult = CriteriaSourceReport;

export default class CriteriaValidate extends TerminalTextCommand<CriteriaValidateResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description =
    messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'source-dir': sourceDirFlag(
      messages.getMessage('flags.source-dir.summary'),
    ),
  };

  public async run(): Promise<CriteriaValidateResult> {
    const { flags } = await this.parse(CriteriaValidate);
    // Checked although validate neither logs nor counts days, so that an
    // invalid COSELL_LOG_LEVEL or COSELL_TIME_ZONE fails every command.
    commandLogLevel();
    requireTimeZoneVariable();
    await requirePackageFolder(flags['source-dir'], '--source-dir');
    const report = await validateCriteriaSource(flags['source-dir']);
    if (report.valid) {
      this.logSuccess(
        messages.getMessage('info.Valid', [
          report.models,
          report.stages,
          report.criteria,
        ]),
      );
      return report;
    }
    for (const problem of report.errors) {
      const position =
        problem.file !== null && problem.line !== null
          ? `:${problem.line}:${problem.column ?? 1}`
          : '';
      const record = problem.record ? ` ${problem.record}:` : '';
      this.log(
        `${problem.file ?? flags['source-dir']}${position}${record} ${problem.message}`,
      );
    }
    const count = report.errors.length;
    const error = messages.createError('error.InvalidCriteria', [
      `${count} ${count === 1 ? 'problem' : 'problems'}`,
    ]);
    error.setData(JSON.parse(JSON.stringify(report)) as AnyJson);
    error.exitCode = 1;
    throw error;
  }
}
