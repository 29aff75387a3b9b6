import { DomainError } from '../../domain/domain-error.js';
import {
  localDate,
  registrationExpiresAt,
} from '../../domain/lifecycle/index.js';
import { IDEMPOTENCY_TTL_MS } from '../idempotency.js';
import type { RegistrationRecord } from '../../org/lifecycle-store.js';
import type { Actor, IdempotencyInput } from '../cosell-context.js';
import type { UseCaseResult } from '../request-stage.js';
import type { LifecycleContext } from './lifecycle-context.js';
import { registrationModel } from './lifecycle-context.js';
import { resolveViewer } from './lifecycle-viewer.js';
import {
  earlierCall,
  earlierCallAfterConflict,
} from './lifecycle-idempotency.js';
import { checkConflicts } from './registration-conflicts.js';
import { registrationView } from './registration-view.js';
import type { RegistrationView } from './registration-view.js';
import { getRegistration } from './read-registration.js';

/**
 * The IANA zone of UTC-12 (the sign of `Etc/GMT` zones is inverted), where the
 * calendar date is the earliest on Earth. A date before today there is in the past
 * in every time zone, so a partner can always enter their own today.
 */
const EARLIEST_DATE_ZONE = 'Etc/GMT+12';

export interface RegisterDealInput {
  customerCompany: string;
  customerWebsite?: string;
  customerCountry: string;
  productLine: string;
  amount: string;
  currencyIsoCode: string;
  expectedCloseDate: string;
}

/**
 * Registers a deal as a partner user for their own account, checked at once
 * against open registrations and open deals. The partner account and the
 * submitter come from the org, never from the request.
 */
export async function registerDeal(
  lc: LifecycleContext,
  actor: Actor,
  input: RegisterDealInput,
  idempotency?: IdempotencyInput,
): Promise<UseCaseResult<RegistrationView>> {
  const viewer = await resolveViewer(lc.cosell, actor);
  if (viewer.side !== 'Partner' || !viewer.partnerAccountId) {
    throw new DomainError(
      'not_partner_user',
      `User ${viewer.user.id} is not a partner user; deals are registered by the partner that brings them.`,
      'Ask a partner seller of the registering partner to submit the registration.',
      { value: viewer.user.id },
    );
  }
  const { corporate, rates } = lc.settings.currency;
  const currency = input.currencyIsoCode;
  if (currency !== corporate && rates[currency] === undefined) {
    // A currency without a rate could not be converted, and would break every
    // forecast and scorecard that includes the deal.
    const known = [corporate, ...Object.keys(rates)].join(', ');
    throw new DomainError(
      'invalid_request',
      `Currency ${currency} has no exchange rate configured.`,
      `Use one of: ${known}; an admin adds currencies with COSELL_CURRENCY_RATES.`,
      { value: currency },
    );
  }
  const earlier = await earlierCall(lc, idempotency);
  if (earlier) {
    // The record of a registration stores the new registration's Id as its body.
    const view = await getRegistration(lc, actor, earlier.responseBody);
    return { status: 201, body: view, replayed: true };
  }
  const now = lc.cosell.now();
  // After the replay, so that a retry after midnight still gets the first response.
  assertCloseDateNotPast(input.expectedCloseDate, now);
  const model = registrationModel(lc.cosell);
  const submittedAt = now.toISOString();
  const conflicts = await checkConflicts(lc, {
    customerCompany: input.customerCompany,
    customerWebsite: input.customerWebsite ?? null,
    productLine: input.productLine,
  });
  let record: RegistrationRecord;
  try {
    record = await lc.store.createRegistration(
      {
        partnerAccountId: viewer.partnerAccountId,
        submittedById: viewer.user.id,
        submittedAt,
        customerCompany: input.customerCompany,
        customerWebsite: input.customerWebsite ?? null,
        customerCountry: input.customerCountry,
        productLine: input.productLine,
        amount: input.amount,
        currencyIsoCode: input.currencyIsoCode,
        expectedCloseDate: input.expectedCloseDate,
        expiresAt: registrationExpiresAt(
          submittedAt,
          model.registrationExpiryDays,
        ),
        conflictStatus: conflicts.status,
        conflictMatches: conflicts.text,
      },
      idempotency && {
        key: idempotency.key,
        fingerprint: idempotency.fingerprint,
        responseStatus: 201,
        expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS).toISOString(),
      },
    );
  } catch (error) {
    const winner = await earlierCallAfterConflict(lc, idempotency, error);
    const view = await getRegistration(lc, actor, winner.responseBody);
    return { status: 201, body: view, replayed: true };
  }
  lc.cosell.logger.info(
    {
      registrationId: record.id,
      partnerAccountId: record.partnerAccountId,
      conflictStatus: record.conflictStatus,
      matches: conflicts.matches.length,
    },
    'deal registered',
  );
  return {
    status: 201,
    body: registrationView(record, viewer),
    replayed: false,
  };
}

/** Rejects an expected close date that has passed in every time zone. */
function assertCloseDateNotPast(expectedCloseDate: string, now: Date): void {
  const earliestToday = localDate(now.toISOString(), EARLIEST_DATE_ZONE);
  if (expectedCloseDate >= earliestToday) return;
  throw new DomainError(
    'invalid_request',
    `expectedCloseDate ${expectedCloseDate} is in the past: today is ${earliestToday} or later in every time zone.`,
    `Set expectedCloseDate to ${earliestToday} or a later date, in YYYY-MM-DD form.`,
    { value: expectedCloseDate },
  );
}
