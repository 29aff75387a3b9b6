/**
 * One line of text for the evidence kept with a stage move: how many criteria
 * were met, and which. The snapshot is the JSON array of criterion results that
 * `Stage_Transition__c.Evidence_Snapshot__c` stores.
 */
import { ReportError } from './report-error.js';

interface CriterionEvidence {
  label?: unknown;
  name?: unknown;
  met?: unknown;
}

function criterionName(result: CriterionEvidence, index: number): string {
  if (typeof result.label === 'string' && result.label !== '')
    return result.label;
  if (typeof result.name === 'string' && result.name !== '') return result.name;
  return `criterion ${index + 1}`;
}

/**
 * Summarises an evidence snapshot, such as `2 of 3 criteria met. Met: A; B.
 * Unmet: C.` Fails naming `owner` when the snapshot is not a JSON array.
 */
export function summarizeEvidence(snapshot: string, owner: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(snapshot);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed)) {
    throw new ReportError(
      'invalid_report_value',
      `The evidence snapshot of ${owner} is not a JSON array of criterion results: ${snapshot.slice(0, 60)}`,
      'Repair Evidence_Snapshot__c of that transition; it should hold the JSON array written when the move was confirmed.',
      snapshot.slice(0, 200),
    );
  }
  if (parsed.length === 0) return 'No criteria recorded.';
  const met: string[] = [];
  const unmet: string[] = [];
  parsed.forEach((item: unknown, index) => {
    const result = (item ?? {}) as CriterionEvidence;
    (result.met === true ? met : unmet).push(criterionName(result, index));
  });
  let text = `${met.length} of ${parsed.length} criteria met.`;
  if (met.length > 0) text += ` Met: ${met.join('; ')}.`;
  if (unmet.length > 0) text += ` Unmet: ${unmet.join('; ')}.`;
  return text;
}
