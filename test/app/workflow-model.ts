import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { CosellContext } from '../../middleware/src/app/cosell-context.js';
import { createCosellContext } from '../../middleware/src/bootstrap.js';
import { seedDemo } from '../../middleware/src/demo/seed-demo.js';
import { demoId } from '../../middleware/src/demo/demo-people.js';
import type { StageTransition } from '../../middleware/src/domain/cosell.js';
import { resolveDealRole } from '../../middleware/src/domain/sides.js';
import { createLogger } from '../../middleware/src/logger.js';
import { openLocalGateway } from '../../middleware/src/org/local/local-gateway.js';
import { createDemoDeal } from '../../scripts/demo/demo-deal.js';

/** The use cases under test, passed in so a deliberately broken build can be checked. */
export interface WorkflowApi {
  requestStage: typeof import('../../middleware/src/app/request-stage.js').requestStage;
  confirmRequest: typeof import('../../middleware/src/app/answer-request.js').confirmRequest;
  rejectRequest: typeof import('../../middleware/src/app/answer-request.js').rejectRequest;
  withdrawRequest: typeof import('../../middleware/src/app/answer-request.js').withdrawRequest;
  overrideRequest: typeof import('../../middleware/src/app/answer-request.js').overrideRequest;
}

export const USERS = {
  vendor: demoId('005', 1),
  vendorColleague: demoId('005', 2),
  channelManager: demoId('005', 10),
  partner: demoId('005', 100),
  partnerColleague: demoId('005', 101),
  outsider: demoId('005', 110),
};
const USER_LIST = Object.values(USERS);

type Command =
  | {
      type: 'request';
      user: string;
      kind: 'Advance' | 'Back' | 'Close Lost';
      target: number;
    }
  | { type: 'confirm' | 'reject' | 'withdraw' | 'override'; user: string }
  | { type: 'expire' }
  | {
      type: 'evidence';
      field:
        | 'Partner_Owner__c'
        | 'Closed_Lost_Reason__c'
        | 'Partner_Confirmed_By__c';
      present: boolean;
    };

const STAGES = ['Registered', 'Jointly_Qualified', 'Validating', 'Negotiating'];

/**
 * Commands weighted toward ones that can move a deal: requests usually name the next
 * stage (target -1), and expiry is rarer than answers, or few runs would move at all.
 */
export const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('request' as const),
      user: fc.constantFrom(...USER_LIST),
      kind: fc.constantFrom(
        'Advance' as const,
        'Advance' as const,
        'Back' as const,
        'Close Lost' as const,
      ),
      target: fc.integer({ min: -1, max: STAGES.length - 1 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constantFrom(
        'confirm' as const,
        'confirm' as const,
        'reject' as const,
        'withdraw' as const,
        'override' as const,
      ),
      user: fc.constantFrom(...USER_LIST),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ type: 'expire' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('evidence' as const),
      field: fc.constantFrom(
        'Partner_Owner__c' as const,
        'Closed_Lost_Reason__c' as const,
        'Partner_Confirmed_By__c' as const,
      ),
      present: fc.boolean(),
    }),
  },
);

/** Target -1 means "the default": the next stage, or the first stage for a back move. */
function targetStage(
  kind: 'Advance' | 'Back' | 'Close Lost',
  target: number,
): string | undefined {
  if (kind === 'Close Lost') return undefined;
  if (target < 0) return kind === 'Back' ? STAGES[0] : undefined;
  return STAGES[target];
}

export interface WorkflowHarness {
  ctx: CosellContext;
  /** Transitions the runs produced, so a test can show the property is not vacuous. */
  stats: { transitions: number; oneSided: number; backMoves: number };
  run(commands: Command[], api: WorkflowApi): Promise<void>;
  close(): Promise<void>;
}

/** A seeded store and a movable clock, shared by all runs of one property. */
export async function openHarness(): Promise<WorkflowHarness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cosell-property-'));
  const logger = createLogger('silent');
  const gateway = await openLocalGateway({
    dbPath: path.join(dir, 'property.db'),
    packageDir: path.resolve('force-app'),
    logger,
  });
  let offset = 0;
  const ctx = await createCosellContext(gateway, {
    timeZone: 'UTC',
    logger,
    now: () => new Date(Date.now() + offset),
  });
  await seedDemo(ctx, gateway);

  async function run(commands: Command[], api: WorkflowApi): Promise<void> {
    const deal = await createDemoDeal(gateway);
    const actor = (userId: string) => ({ callerId: 'property', userId });
    let requestId: string | null = null;
    for (const command of commands) {
      try {
        switch (command.type) {
          case 'request': {
            const result = await api.requestStage(ctx, actor(command.user), {
              dealId: deal.dealId,
              kind: command.kind,
              toStage: targetStage(command.kind, command.target),
            });
            requestId = result.body.id;
            break;
          }
          case 'confirm':
            if (requestId)
              await api.confirmRequest(ctx, actor(command.user), requestId);
            break;
          case 'reject':
            if (requestId)
              await api.rejectRequest(
                ctx,
                actor(command.user),
                requestId,
                'no',
              );
            break;
          case 'withdraw':
            if (requestId) {
              await api.withdrawRequest(
                ctx,
                actor(command.user),
                requestId,
                undefined,
              );
            }
            break;
          case 'override':
            if (requestId) {
              await api.overrideRequest(
                ctx,
                actor(command.user),
                requestId,
                'silent',
              );
            }
            break;
          case 'expire':
            offset += 80 * 3_600_000;
            break;
          case 'evidence':
            if (command.field === 'Partner_Confirmed_By__c') {
              await gateway.upsertRecords('Joint_Qualification__c', [
                {
                  Id: deal.qualificationId,
                  Partner_Confirmed_By__c: command.present
                    ? USERS.partner
                    : null,
                },
              ]);
              break;
            }
            await gateway.upsertRecords('Opportunity', [
              {
                Id: deal.dealId,
                [command.field]: command.present
                  ? command.field === 'Partner_Owner__c'
                    ? USERS.partner
                    : 'Price'
                  : null,
              },
            ]);
            break;
        }
      } catch (error) {
        // Refusals are the point of the rules; only the invariant below decides.
        if (!(error instanceof Error) || error.name === 'TypeError')
          throw error;
      }
    }
    const transitions = await checkInvariant(ctx, deal.dealId);
    stats.transitions += transitions.length;
    stats.oneSided += transitions.filter((t) => t.oneSided).length;
    stats.backMoves += transitions.filter(
      (t) =>
        t.fromStage !== null &&
        STAGES.indexOf(t.toStage) >= 0 &&
        STAGES.indexOf(t.toStage) < STAGES.indexOf(t.fromStage),
    ).length;
  }

  const stats = { transitions: 0, oneSided: 0, backMoves: 0 };
  return {
    ctx,
    stats,
    run,
    close: async () => {
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Every transition has a requester and a confirmer on opposite sides of the deal, the
 * confirmer is not the requester, and every criterion it recorded was met; the only
 * one-sided move is a channel manager's Close Lost override.
 */
async function checkInvariant(
  ctx: CosellContext,
  dealId: string,
): Promise<StageTransition[]> {
  const transitions = await ctx.gateway.listTransitions(dealId);
  const read = await ctx.gateway.readDealContext({
    dealId,
    actingUserId: USERS.vendor,
    plan: ctx.plan,
  });
  const users = new Map(
    (await ctx.gateway.getUsers(USER_LIST)).map((u) => [u.id, u]),
  );
  for (const t of transitions) {
    const evidence = JSON.parse(t.evidenceSnapshot) as Array<{
      met: boolean;
      name: string;
    }>;
    const unmet = evidence.filter((c) => !c.met).map((c) => c.name);
    if (unmet.length > 0) {
      throw new Error(
        `transition ${t.id} to ${t.toStage} recorded unmet criteria ${unmet.join(', ')}`,
      );
    }
    const confirmer = users.get(t.confirmedById);
    const requester = users.get(t.requestedById);
    if (!confirmer || !requester || !read.deal)
      throw new Error(`unknown user on ${t.id}`);
    const confirmerRole = resolveDealRole(
      confirmer,
      read.deal,
      read.teamMemberIds,
    );
    if (t.oneSided) {
      if (!confirmerRole.isChannelManager || t.toStage !== 'Closed_Lost') {
        throw new Error(
          `one-sided transition ${t.id} by ${t.confirmedById} to ${t.toStage}`,
        );
      }
      continue;
    }
    const requesterRole = resolveDealRole(
      requester,
      read.deal,
      read.teamMemberIds,
    );
    if (t.confirmedById === t.requestedById) {
      throw new Error(`transition ${t.id} was confirmed by its requester`);
    }
    if (
      !confirmerRole.side ||
      !requesterRole.side ||
      confirmerRole.side === requesterRole.side
    ) {
      throw new Error(
        `transition ${t.id} requested by ${requesterRole.side ?? 'no side'} and confirmed by ${confirmerRole.side ?? 'no side'}`,
      );
    }
  }
  return transitions;
}
