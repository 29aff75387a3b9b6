import type { DemoClient } from './demo-client.js';
import type { DemoDeal } from './demo-deal.js';

interface TrailTransition {
  fromStage: string | null;
  toStage: string;
  at: string;
  requestedBy: { id: string; name: string | null; side: string | null };
  confirmedBy: { id: string; name: string | null; side: string | null };
  evidence: Array<{
    label: string;
    met: boolean;
    evidence: Array<{ path: string; value: unknown }>;
  }>;
}

/** Prints each move with who asked, who confirmed and the evidence that allowed it. */
export async function printTrail(
  client: DemoClient,
  deal: DemoDeal,
): Promise<void> {
  const answer = await client.call(
    'GET',
    `/v1/deals/${deal.dealId}/transitions`,
    deal.vendorSeller,
  );
  const transitions = (answer.body['transitions'] ?? []) as TrailTransition[];
  process.stdout.write(`\nEvidence trail of deal ${deal.dealId}:\n`);
  for (const t of transitions) {
    process.stdout.write(
      `\n${t.fromStage ?? '(none)'} -> ${t.toStage} at ${t.at}\n` +
        `  requested by ${t.requestedBy.name ?? t.requestedBy.id} (${t.requestedBy.side ?? '?'}), ` +
        `confirmed by ${t.confirmedBy.name ?? t.confirmedBy.id} (${t.confirmedBy.side ?? '?'})\n`,
    );
    for (const criterion of t.evidence) {
      const values = criterion.evidence
        .map((read) => `${read.path}=${JSON.stringify(read.value)}`)
        .join(', ');
      process.stdout.write(
        `  [${criterion.met ? 'met' : 'unmet'}] ${criterion.label}: ${values}\n`,
      );
    }
  }
}
