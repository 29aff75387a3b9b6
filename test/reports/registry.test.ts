import { logLineStream } from '../helpers/log-lines.js';
import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../middleware/src/logger.js';
import { scorecardReport } from '../../middleware/src/reports/definitions/scorecard.js';
import { stageHistoryReport } from '../../middleware/src/reports/definitions/stage-history.js';
import { exportReport } from '../../middleware/src/reports/export-report.js';
import {
  REPORT_NAMES,
  findReport,
  reportFileName,
  requireFormat,
} from '../../middleware/src/reports/registry.js';
import { ReportError } from '../../middleware/src/reports/report-error.js';
import { CollectingOutput } from './report-output.js';

describe('report registry', () => {
  it('lists the seven reports', () => {
    expect(REPORT_NAMES).toEqual([
      'pipeline',
      'stage-history',
      'attribution',
      'scorecard',
      'funnel',
      'forecast',
      'agenda',
    ]);
    for (const name of REPORT_NAMES) {
      expect(findReport(name).definition.name).toBe(name);
    }
  });

  it('names downloads by local date', () => {
    expect(
      reportFileName(
        'stage-history',
        'csv',
        '2026-12-04T10:00:00Z',
        'America/New_York',
      ),
    ).toBe('cosell-stage-history-2026-12-04.csv');
    // 03:00 UTC on 5 December is still 4 December in New York.
    expect(
      reportFileName(
        'funnel',
        'svg',
        '2026-12-05T03:00:00Z',
        'America/New_York',
      ),
    ).toBe('cosell-funnel-2026-12-04.svg');
  });

  it('rejects unknown names and formats', () => {
    expect(() => findReport('toString')).toThrow(ReportError);
    expect(() => findReport('pipelines')).toThrow(
      'There is no report named "pipelines".',
    );
    expect(() => requireFormat('pipeline', 'svg')).toThrow(
      'The pipeline report has no "svg" format.',
    );
    expect(requireFormat('forecast', 'svg')).toBe('svg');
    expect(requireFormat('agenda', 'md')).toBe('md');
  });
});

describe('exportReport', () => {
  const scorecards = [
    {
      partnerAccount: { id: 'P1', name: 'North | wind' },
      registrations: {
        total: 1,
        approved: 1,
        rejected: 0,
        expired: 0,
        pending: 0,
        approvalRate: 1,
      },
      deals: { open: 1, won: 0, lost: 0, winRate: null },
      currency: 'USD',
      sourcedRevenue: '0.00',
      influencedRevenue: '0.00',
      forecastAccuracy: null,
    },
  ];

  it('writes a markdown table with a title', async () => {
    const out = new CollectingOutput();
    const result = await exportReport(
      scorecardReport,
      { scorecards },
      'md',
      out,
    );

    expect(result.rows).toBe(1);
    expect(out.text.startsWith('# Partner scorecard\n\n| Partner Id |')).toBe(
      true,
    );
    expect(out.text).toContain('| P1 | North \\| wind | 1 |');
  });

  it('logs the export', async () => {
    const lines: string[] = [];
    const logStream = logLineStream((line) => lines.push(line));
    const logger = createLogger('info', logStream);

    await exportReport(
      scorecardReport,
      { scorecards },
      'ndjson',
      new CollectingOutput(),
      { logger },
    );

    const entry = JSON.parse(lines[0]!);
    expect(entry.msg).toBe('report exported');
    expect(entry.report).toBe('scorecard');
    expect(entry.format).toBe('ndjson');
    expect(entry.rows).toBe(1);
  });

  it('rejects SVG for a table report', async () => {
    await expect(
      exportReport(
        stageHistoryReport,
        { transitions: [] },
        'svg',
        new CollectingOutput(),
      ),
    ).rejects.toThrow('The stage-history report has no SVG chart.');
  });
});
