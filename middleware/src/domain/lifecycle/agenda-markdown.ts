/**
 * Renders the sync agenda as markdown for the meeting: one heading per
 * section and a table per section, with "None." for an empty one.
 */
import type {
  Agenda,
  AgendaCriterion,
  AgendaItem,
  AgendaRequest,
} from './agenda.js';
import { localDate } from './calendar.js';
import type { LifecycleRegistration } from './types.js';

/**
 * Escapes text for a table cell: backslashes and pipes get a backslash, and
 * line breaks become spaces, so a value never ends its cell or row early. Angle
 * and square brackets and an `&` that starts an entity get a backslash too
 * (CommonMark backslash escapes), so a renderer shows a deal name such as
 * `<script>` or `[x](javascript:…)` as text instead of HTML or a link.
 */
export function escapeCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/[|<>[\]]/g, '\\$&')
    .replace(/&(?=#?\w+;)/g, '\\&')
    .replace(/\r\n|\r|\n/g, ' ')
    .trim();
}

/** Builds a markdown table; every cell is escaped. */
export function markdownTable(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [
    line(headers),
    `|${headers.map(() => ' --- ').join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

function section(title: string, count: number, body: string): string {
  return `## ${title} (${count})\n\n${count === 0 ? 'None.' : body}\n`;
}

/**
 * Returns an agenda item's stage as the markdown and the report show it: the
 * stage's label, or the stored value with a marker when the deal's model does
 * not have that stage or is not loaded.
 */
export function stageCell(item: AgendaItem<unknown, unknown>): string {
  if (item.stage) return item.stage.label;
  if (item.stageNotInModel !== null) {
    return `${item.stageNotInModel} (not in model)`;
  }
  return '';
}

function dealCells(item: AgendaItem<unknown, unknown>): string[] {
  return [item.dealName, item.partnerAccount?.name ?? '', stageCell(item)];
}

function criteriaText(
  criteria: readonly AgendaCriterion[] | undefined,
): string {
  return (criteria ?? [])
    .map((criterion) => criterion.label ?? criterion.name)
    .join('; ');
}

function requestTable(items: AgendaItem<AgendaRequest, unknown>[]): string {
  return markdownTable(
    ['Deal', 'Partner', 'Stage', 'Request', 'Age (days)'],
    items.map((item) => [
      ...dealCells(item),
      item.detail,
      String(item.ageDays ?? ''),
    ]),
  );
}

/** Renders the agenda as a markdown document. */
export function renderAgendaMarkdown<
  R extends AgendaRequest,
  C extends AgendaCriterion,
  G extends LifecycleRegistration,
>(agenda: Agenda<R, C, G>): string {
  const scope = agenda.partnerAccount?.name ?? 'all partners';
  const parts = [
    '# Co-sell sync agenda\n',
    `Generated ${agenda.generatedAt} (${agenda.zone}) for the ${agenda.side.toLowerCase()} side, ${escapeCell(scope)}.\n`,
    section(
      'Waiting on the vendor',
      agenda.waitingOnVendor.length,
      requestTable(agenda.waitingOnVendor),
    ),
    section(
      'Waiting on the partner',
      agenda.waitingOnPartner.length,
      requestTable(agenda.waitingOnPartner),
    ),
    section(
      'Blocked on unmet criteria',
      agenda.blocked.length,
      markdownTable(
        ['Deal', 'Partner', 'Stage', 'Request', 'Unmet criteria'],
        agenda.blocked.map((item) => [
          ...dealCells(item),
          item.detail,
          criteriaText(item.unmet),
        ]),
      ),
    ),
    section(
      'Regressed',
      agenda.regressed.length,
      markdownTable(
        ['Deal', 'Partner', 'Stage', 'Criteria no longer met'],
        agenda.regressed.map((item) => [
          ...dealCells(item),
          criteriaText(item.unmet),
        ]),
      ),
    ),
    section(
      'Could not be evaluated',
      agenda.notEvaluated.length,
      markdownTable(
        ['Deal', 'Partner', 'Stage', 'Record', 'Field', 'Problem'],
        agenda.notEvaluated.map((item) => [
          ...dealCells(item),
          item.problem ? `${item.problem.object} ${item.problem.recordId}` : '',
          item.problem?.field ?? '',
          item.detail,
        ]),
      ),
    ),
    section(
      'Stalled',
      agenda.stalled.length,
      markdownTable(
        ['Deal', 'Partner', 'Stage', 'Days in stage', 'Stalls after (days)'],
        agenda.stalled.map((item) => [
          ...dealCells(item),
          String(item.ageDays ?? ''),
          String(item.stage?.stallDays ?? ''),
        ]),
      ),
    ),
    section(
      `Registrations expiring within ${agenda.expiringWithinDays} days`,
      agenda.expiringRegistrations.length,
      markdownTable(
        [
          'Registration',
          'Customer',
          'Partner',
          'Status',
          'Expires',
          'Days left',
        ],
        agenda.expiringRegistrations.map(
          ({ registration, partnerAccount, daysLeft }) => [
            registration.name,
            registration.customerCompany,
            partnerAccount.name,
            registration.status,
            registration.expiresAt === null
              ? ''
              : localDate(registration.expiresAt, agenda.zone),
            String(daysLeft),
          ],
        ),
      ),
    ),
  ];
  return parts.join('\n');
}
