import type { DemoDeal, EvidenceStore } from './demo-deal.js';
import { recordLaterEvidence } from './demo-deal.js';

export class DemoStepError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DemoStepError';
  }
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** Calls the middleware as the demo's users and checks each answer. */
export class DemoClient {
  stepCount = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call(
    method: 'GET' | 'POST',
    path: string,
    userId: string,
    body?: unknown,
  ): Promise<Answer> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          'x-cosell-acting-user': userId,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: unknown } }).cause;
      const reason = typeof cause?.code === 'string' ? ` (${cause.code})` : '';
      throw new DemoStepError(
        `${method} ${path} failed: cannot connect to the middleware at ${this.baseUrl}${reason}`,
        { cause: error },
      );
    }
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      throw new DemoStepError(
        `${method} ${path} answered ${response.status} with non-JSON: ${text.slice(0, 200)}`,
      );
    }
    return { status: response.status, body: parsed };
  }

  /** Runs one step and fails the demo unless the status and code are the expected ones. */
  async step(
    title: string,
    expected: { status: number; code?: string | string[] },
    action: () => Promise<Answer>,
  ): Promise<Record<string, unknown>> {
    this.stepCount += 1;
    const answer = await action();
    const code =
      typeof answer.body['code'] === 'string' ? answer.body['code'] : undefined;
    const codes = expected.code === undefined ? [] : [expected.code].flat();
    const ok =
      answer.status === expected.status &&
      (codes.length === 0 || (code !== undefined && codes.includes(code)));
    const mark = ok ? 'ok  ' : 'FAIL';
    const detail = code
      ? ` ${code}: ${String(answer.body['detail'] ?? '')}`
      : '';
    process.stdout.write(
      `${mark} ${String(this.stepCount).padStart(2)}. ${title} -> ${answer.status}${detail}\n`,
    );
    if (!ok) {
      throw new DemoStepError(
        `step ${this.stepCount} "${title}" expected ${expected.status}${codes.length ? ` ${codes.join(' or ')}` : ''} but got ${answer.status}${code ? ` ${code}` : ''}`,
      );
    }
    return answer.body;
  }

  async request(
    userId: string,
    dealId: string,
    toStage: string,
  ): Promise<Answer> {
    return this.call('POST', `/v1/deals/${dealId}/stage-requests`, userId, {
      kind: 'Advance',
      toStage,
    });
  }

  /** The walk-through: every move joint, with the failures the product must catch. */
  async walkThrough(deal: DemoDeal, store: EvidenceStore): Promise<void> {
    const { dealId, vendorSeller, vendorColleague, partnerSeller } = deal;
    const id = (body: Record<string, unknown>) => String(body['id']);

    const first = await this.step(
      'vendor asks to move to Jointly qualified',
      { status: 201 },
      () => this.request(vendorSeller, dealId, 'Jointly_Qualified'),
    );
    await this.step(
      'the requester tries to confirm their own request',
      { status: 403, code: 'requester_cannot_confirm' },
      () =>
        this.call(
          'POST',
          `/v1/stage-requests/${id(first)}/confirm`,
          vendorSeller,
          {},
        ),
    );
    await this.step(
      'a vendor colleague tries to confirm (wrong side)',
      { status: 403, code: 'wrong_side' },
      () =>
        this.call(
          'POST',
          `/v1/stage-requests/${id(first)}/confirm`,
          vendorColleague,
          {},
        ),
    );
    await this.step('partner rejects it with a reason', { status: 200 }, () =>
      this.call(
        'POST',
        `/v1/stage-requests/${id(first)}/reject`,
        partnerSeller,
        {
          reason: 'Our qualification call with the customer is on Thursday.',
        },
      ),
    );
    const second = await this.step(
      'partner asks to move to Jointly qualified',
      { status: 201 },
      () => this.request(partnerSeller, dealId, 'Jointly_Qualified'),
    );
    await this.step(
      'vendor confirms: Registered -> Jointly qualified',
      { status: 200 },
      () =>
        this.call(
          'POST',
          `/v1/stage-requests/${id(second)}/confirm`,
          vendorSeller,
          {},
        ),
    );
    await this.step(
      'vendor asks for Validating before the partner confirmed the qualification',
      { status: 422, code: 'criteria_unmet' },
      () => this.request(vendorSeller, dealId, 'Validating'),
    );
    await store.upsertRecords('Joint_Qualification__c', [
      {
        Id: deal.qualificationId,
        Partner_Confirmed_By__c: partnerSeller,
        Partner_Confirmed_At__c: new Date().toISOString(),
      },
    ]);
    process.stdout.write(
      '     (the partner seller confirms the joint qualification)\n',
    );
    await this.advance('Validating', vendorSeller, partnerSeller, dealId);

    for (const [stage, requester, confirmer] of [
      ['Negotiating', partnerSeller, vendorSeller],
      ['Closed_Attributed', vendorSeller, partnerSeller],
    ] as const) {
      const evidence = await recordLaterEvidence(
        store,
        deal,
        stage === 'Negotiating' ? 'Validating' : 'Negotiating',
      );
      process.stdout.write(`     (sellers record evidence: ${evidence})\n`);
      if (stage === 'Closed_Attributed') {
        await this.step(
          'vendor asks to close before the deal is won and attributed',
          { status: 422, code: ['criteria_unmet', 'attribution_invalid'] },
          () => this.request(requester, dealId, stage),
        );
        const closing = await recordLaterEvidence(
          store,
          deal,
          'Closed_Attributed',
        );
        process.stdout.write(`     (sellers record evidence: ${closing})\n`);
      }
      await this.advance(stage, requester, confirmer, dealId);
    }
  }

  private async advance(
    stage: string,
    requester: string,
    confirmer: string,
    dealId: string,
  ): Promise<void> {
    const request = await this.step(`request ${stage}`, { status: 201 }, () =>
      this.request(requester, dealId, stage),
    );
    await this.step(`the other side confirms ${stage}`, { status: 200 }, () =>
      this.call(
        'POST',
        `/v1/stage-requests/${String(request['id'])}/confirm`,
        confirmer,
        {},
      ),
    );
  }
}
