import { Writable } from 'node:stream';
import { Router } from 'express';
import type { Request, Response } from 'express';
import { exportOpsReport } from '../../app/export-ops-report.js';
import type { LifecycleContext } from '../../app/lifecycle/lifecycle-context.js';
import {
  requireReportViewer,
  resolveViewer,
} from '../../app/lifecycle/lifecycle-viewer.js';
import { localDate } from '../../domain/lifecycle/calendar.js';
import { StoredValueError } from '../../domain/stored-value.js';
import type { ReportFormat } from '../../reports/report-definition.js';
import { ReportError } from '../../reports/report-error.js';
import {
  REPORT_ONLY_OPTIONS,
  findReport,
  requireFormat,
} from '../../reports/registry.js';
import type { ReportName } from '../../reports/registry.js';
import { queryNumber, ExpiringWithinDaysSchema } from '../lifecycle-schemas.js';
import { echoHeader } from '../echoed-text.js';
import { HeldResponse } from '../held-response.js';
import { HttpProblem, toProblem } from '../problem.js';
import { z } from '../zod-openapi.js';
import { validate, validated } from '../validate.js';

export const ReportQuerySchema = z
  .object({
    format: z.enum(['csv', 'json', 'ndjson', 'md', 'svg']).optional(),
    bom: z.enum(['true', 'false']).optional().openapi({
      description:
        'Starts a CSV with a byte order mark, for Excel. CSV only: rejected with another format.',
    }),
    quarters: queryNumber(
      z.coerce
        .number({ error: 'must be a number of quarters' })
        .int('must be a whole number of quarters')
        .min(1, 'must be 1 to 8 quarters')
        .max(8, 'must be 1 to 8 quarters')
        .default(4),
    ).openapi({
      description:
        'Fiscal quarters the forecast covers, 1 to 8 (4 when absent). Forecast only: rejected for another report.',
    }),
    expiringWithinDays: ExpiringWithinDaysSchema.openapi({
      description:
        'Days ahead in which an expiring registration goes on the agenda, 0 to 365 (14 when absent). Agenda only: rejected for another report.',
    }),
  })
  .strict();

const MEDIA_TYPES: Record<ReportFormat, string> = {
  csv: 'text/csv',
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  md: 'text/markdown',
  svg: 'image/svg+xml',
};

/** The format from `?format=`, else the first offered one the Accept header allows. */
function negotiateFormat(
  req: Request,
  name: string,
  offered: readonly ReportFormat[],
) {
  const asked = req.query['format'];
  if (typeof asked === 'string') return requireFormat(name, asked);
  const type = req.accepts(offered.map((format) => MEDIA_TYPES[format]));
  const format = offered.find((f) => MEDIA_TYPES[f] === type);
  if (!format) {
    // Without an Accept header req.accepts takes any type, so one was sent.
    const accept = echoHeader(req.get('accept') ?? '');
    throw new HttpProblem(
      'not_acceptable',
      `The ${name} report is served as ${offered.map((f) => MEDIA_TYPES[f]).join(', ')}, and the Accept header allows none of them.${accept.note}`,
      `Send a matching Accept header or add ?format= with one of: ${offered.join(', ')}.`,
      { value: accept.text },
    );
  }
  return format;
}

/**
 * Fails on a query parameter that the report or its format does not read, as
 * `sf cosell report export` fails on such a flag, instead of ignoring it.
 */
function rejectUnusedParameters(
  req: Request,
  report: ReportName,
  format: ReportFormat,
): void {
  for (const { parameter, reports } of REPORT_ONLY_OPTIONS) {
    const readers: readonly ReportName[] = reports;
    if (req.query[parameter] === undefined || readers.includes(report)) {
      continue;
    }
    throw new HttpProblem(
      'invalid_request',
      `The query parameter ${parameter} applies only to the ${readers.join(', ')} report, but the report requested is ${report}.`,
      `Remove ${parameter}, or request ${readers.map((name) => `/v1/reports/${name}`).join(' or ')}.`,
      { value: parameter },
    );
  }
  if (req.query['bom'] !== undefined && format !== 'csv') {
    throw new HttpProblem(
      'invalid_request',
      `The query parameter bom applies to CSV only, but the format is ${format}.`,
      'Remove bom, or add ?format=csv.',
      { value: 'bom' },
    );
  }
}

/**
 * Reports whose body streams to the client, because it grows with the whole
 * stage history. Only their first `HELD_BYTES` are held back, so a failure
 * within them still gets a problem response. The others are built in memory
 * before the first byte, so that invalid stored data gets a problem response
 * with a status. Their inputs are held in memory already, except the
 * pipeline's open deals.
 */
const STREAMED_REPORTS: ReadonlySet<ReportName> = new Set(['stage-history']);

/**
 * `GET /v1/reports/{name}`: the ops reports of the sf plugin, for channel managers
 * and admins.
 */
export function reportRoutes(lc: LifecycleContext): Router {
  const router = Router();
  router.get(
    '/reports/:name',
    validate({ query: ReportQuerySchema }),
    async (req, res) => {
      const name = String(req.params['name']);
      let entry;
      let format: ReportFormat;
      try {
        entry = findReport(name);
        format = negotiateFormat(req, name, entry.formats);
        rejectUnusedParameters(req, entry.name, format);
      } catch (error) {
        if (error instanceof ReportError) {
          throw new HttpProblem(
            error.code === 'unknown_report' ? 'not_found' : 'invalid_request',
            error.message,
            error.fix,
            { value: error.value ?? name },
          );
        }
        throw error;
      }
      const viewer = await resolveViewer(lc.cosell, req.actor!);
      requireReportViewer(viewer);
      const { query } = validated<
        unknown,
        unknown,
        z.infer<typeof ReportQuerySchema>
      >(req);
      const day = localDate(lc.cosell.now().toISOString(), lc.cosell.timeZone);
      const fileName = `cosell-${entry.name}-${day}.${format}`;
      const request = {
        report: entry.name,
        format,
        bom: query.bom === 'true',
        quarters: query.quarters,
        expiringWithinDays: query.expiringWithinDays,
      };
      if (!STREAMED_REPORTS.has(entry.name)) {
        // Built whole before the first byte, so that invalid stored data gets
        // a problem response instead of a cut download.
        const body = memoryOutput();
        await exportOpsReport(lc, request, body.out);
        setDownloadHeaders(res, fileName, format);
        res.end(body.contents());
        return;
      }
      const out = new HeldResponse(res, () =>
        setDownloadHeaders(res, fileName, format),
      );
      try {
        await exportOpsReport(lc, request, out);
      } catch (error) {
        // Until the first HELD_BYTES are sent, nothing has reached the
        // response, so the error handler can still send a problem.
        if (!out.started) throw error;
        // After that, only cutting the download shows the client it failed:
        // the chunked body then has no terminating chunk.
        logCutDownload(req, error, entry.name);
        res.destroy();
      }
    },
  );
  return router;
}

/**
 * Logs a failed download whose headers were sent: 5xx causes at error, 4xx at
 * warn. An invalid stored value adds its record and field.
 */
function logCutDownload(req: Request, error: unknown, report: string): void {
  const { problem } = toProblem(error);
  const source =
    error instanceof ReportError || error instanceof StoredValueError
      ? error.source
      : undefined;
  const record = source
    ? { recordId: source.recordId, field: source.field }
    : {};
  if (problem.status >= 500) {
    req.log?.error({ err: error, report, ...record }, 'report export failed');
  } else {
    req.log?.warn(
      { report, ...record, code: problem.code, detail: problem.detail },
      'report export failed',
    );
  }
}

/** Sets the status and headers of a report download. */
function setDownloadHeaders(
  res: Response,
  fileName: string,
  format: ReportFormat,
): void {
  res.status(200);
  // res.attachment() sets Content-Type from the file extension and maps .ndjson
  // to application/octet-stream, so the report's media type is set after it.
  res.attachment(fileName);
  res.type(`${MEDIA_TYPES[format]}; charset=utf-8`);
  res.vary('Accept');
}

/** Creates a `Writable` that keeps what is written, for a report built before it is sent. */
function memoryOutput(): { out: Writable; contents(): Buffer } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { out, contents: () => Buffer.concat(chunks) };
}
