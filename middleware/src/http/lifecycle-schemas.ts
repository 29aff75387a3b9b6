/**
 * Request and response schemas of the lifecycle endpoints: deal registration,
 * the sync agenda, forecast, backtest and partner scorecards. Requests are
 * validated with them; responses are described by them in the OpenAPI document.
 */
import { companyNameKey, websiteDomain } from '../domain/lifecycle/index.js';
import { FORECAST_CATEGORIES } from '../domain/model.js';
import {
  hasDateForm,
  isCalendarDate,
  nonexistentDateDetail,
  SALESFORCE_MAX_DATE,
} from '../domain/salesforce-date.js';
import {
  ACCOUNT_ID,
  CriterionResultSchema,
  CurrencyIsoCodeSchema,
  maxTextLength,
  multiLineText,
  OPPORTUNITY_ID,
  SalesforceIdSchema,
  singleLineText,
  StageRequestSchema,
  standardObjectIdSchema,
  USER_ID,
} from './schemas.js';
import { z } from './zod-openapi.js';

export const PRODUCT_LINES = [
  'Platform',
  'Analytics',
  'Security',
  'Services',
] as const;

/**
 * At most 13 digits before the point and 2 after, so at most 15 significant
 * digits. `Amount__c` is Currency(16,2), but Salesforce's API and the records
 * of the local store return amounts as doubles, which keep 15 digits exactly.
 */
const AMOUNT_TEXT = /^\d{1,13}(\.\d{1,2})?$/;
/** A letter of any script, so "Côte d'Ivoire" and "日本" count and "!!" does not. */
const LETTER = /\p{L}/u;

export const RegistrationParamsSchema = z.object({
  registrationId: SalesforceIdSchema,
});

const AmountSchema = z
  .union([z.string().trim(), z.number()])
  .transform((value) => (typeof value === 'number' ? String(value) : value))
  .refine((text) => AMOUNT_TEXT.test(text), {
    message:
      'must be a positive amount of at most 9999999999999.99 (13 digits before the point and 2 after), such as 125000.50, because amounts are read back as double-precision numbers',
  })
  .refine((text) => Number(text) > 0, { message: 'must be above 0' })
  .openapi({
    type: 'string',
    description:
      'Decimal text or a number above 0, with at most 13 digits before the point and 2 after (up to 9999999999999.99).',
    example: '125000.00',
  });

export const CreateRegistrationBodySchema = z
  .object({
    customerCompany: singleLineText()
      .min(1, "must name the customer's company")
      .check(maxTextLength(255, 'must be at most 255 characters'))
      // A blank name already has its own issue from min(1).
      .refine((name) => name === '' || companyNameKey(name) !== '', {
        message:
          'must contain a letter or digit, because the conflict check compares company names by their letters and digits',
      })
      .openapi({
        description:
          'One line without control characters, with at least one letter or digit.',
        example: 'Acme Inc.',
      }),
    customerWebsite: singleLineText()
      .check(maxTextLength(255))
      .refine((text) => websiteDomain(text) !== null, {
        message:
          'must be a website with a registrable domain, such as https://www.acme.com or acme.com, not a bare public suffix such as co.uk or github.io',
      })
      .optional(),
    customerCountry: singleLineText()
      .min(1, "must name the customer's country")
      .check(maxTextLength(80, 'must be at most 80 characters'))
      // A blank country already has its own issue from min(1).
      .refine((country) => country === '' || LETTER.test(country), {
        message:
          "must contain a letter: send the customer's country, such as Germany or DE",
      })
      .openapi({
        description:
          'One line without control characters, with at least one letter.',
        example: 'Germany',
      }),
    productLine: z.enum(PRODUCT_LINES),
    amount: AmountSchema,
    currencyIsoCode: CurrencyIsoCodeSchema,
    expectedCloseDate: z
      .string()
      .refine(isCalendarDate, {
        error: (issue) =>
          hasDateForm(String(issue.input))
            ? nonexistentDateDetail(String(issue.input))
            : 'must be a date in YYYY-MM-DD form',
      })
      .refine(
        (date) => !isCalendarDate(date) || date <= SALESFORCE_MAX_DATE,
        `must be ${SALESFORCE_MAX_DATE} or earlier, the last date a Salesforce date field accepts`,
      )
      .openapi({
        description: `YYYY-MM-DD, not in the past: today in UTC-12, the last time zone to change date, or later, and at most ${SALESFORCE_MAX_DATE}.`,
        example: '2030-06-30',
      }),
  })
  .strict()
  .openapi('CreateRegistration');

export const ApproveRegistrationBodySchema = z
  .object({
    vendorOwnerId: standardObjectIdSchema(USER_ID).optional().openapi({
      description:
        'The vendor seller who owns the deal; the approving channel manager when absent.',
    }),
    opportunityId: standardObjectIdSchema(OPPORTUNITY_ID).optional().openapi({
      description:
        'An open Opportunity to link instead of creating a deal at the first stage.',
    }),
  })
  .strict()
  .openapi('ApproveRegistration');

export const RejectRegistrationBodySchema = z
  .object({
    reason: multiLineText().min(1).check(maxTextLength(1000)),
  })
  .strict()
  .openapi('RejectRegistration');

/** A partner account's Id. */
const PartnerAccountIdSchema = standardObjectIdSchema(ACCOUNT_ID);

/**
 * Reads a numeric query value: an empty one (`?periods=`) as absent, so it takes
 * the default, and anything but decimal digits (with an optional sign and fraction
 * for the inner schema to reject) as not a number. z.coerce.number alone reads
 * "" and " " as 0 and "0x10" as 16.
 */
export function queryNumber<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => {
    if (value === '') return undefined;
    if (typeof value === 'string' && !/^-?\d+(\.\d+)?$/.test(value)) {
      return Number.NaN;
    }
    return value;
  }, schema);
}

/** Days ahead in which an expiring registration goes on the agenda. */
export const ExpiringWithinDaysSchema = queryNumber(
  z.coerce
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(0, 'must be 0 to 365 days')
    .max(365, 'must be 0 to 365 days')
    .default(14),
);

export const AgendaQuerySchema = z
  .object({
    partnerAccountId: PartnerAccountIdSchema.optional(),
    expiringWithinDays: ExpiringWithinDaysSchema,
  })
  .strict();

export const ForecastQuerySchema = z
  .object({
    period: z
      .string()
      .regex(
        /^FY(19\d\d|[2-9]\d{3})(-Q[1-4])?$/,
        'must be a fiscal quarter such as FY2027-Q1 or a year such as FY2027, from FY1900 on',
      )
      .optional()
      .openapi({ description: 'The current fiscal quarter when absent.' }),
  })
  .strict();

export const BacktestQuerySchema = z
  .object({
    periods: queryNumber(
      z.coerce
        .number({ error: 'must be a number of quarters' })
        .int('must be a whole number of quarters')
        .min(1, 'must be 1 to 40 quarters')
        .max(40, 'must be 1 to 40 quarters')
        .default(8),
    ),
  })
  .strict();

export const ScorecardQuerySchema = z
  .object({ partnerAccountId: PartnerAccountIdSchema.optional() })
  .strict();

const PartnerRefSchema = z.object({ id: z.string(), name: z.string() });

const MatchSchema = z
  .object({
    object: z.enum(['Deal_Registration__c', 'Opportunity']),
    id: z.string().nullable(),
    name: z.string().nullable(),
    reasons: z.array(z.string()),
    redacted: z.boolean().optional().openapi({
      description:
        "True when a partner user is shown another partner's record without its Id and name.",
    }),
  })
  .openapi('ConflictMatch');

export const RegistrationSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum([
      'Submitted',
      'Approved',
      'Rejected',
      'Expired',
      'Converted',
    ]),
    conflictStatus: z.enum(['Not Checked', 'Clear', 'Conflict']),
    conflictMatches: z.array(MatchSchema),
    relatedMatches: z.array(MatchSchema).openapi({
      description:
        'The same company under another product line, or, after an approval that links a deal with opportunityId, the other matching deals of the same partner or of no partner; not blocking.',
    }),
    customerCompany: z.string(),
    customerWebsite: z.string().nullable(),
    customerCountry: z.string().nullable(),
    productLine: z.string().nullable(),
    amount: z.string().nullable(),
    currencyIsoCode: z.string(),
    expectedCloseDate: z.string().nullable(),
    submittedAt: z.string(),
    submittedById: z.string().nullable(),
    expiresAt: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decidedById: z.string().nullable(),
    decisionReason: z.string().nullable(),
    partnerAccount: z.object({ id: z.string(), name: z.string().nullable() }),
    opportunityId: z.string().nullable(),
  })
  .openapi('Registration');

const LifecycleStageSchema = z
  .object({
    model: z.string(),
    value: z.string(),
    label: z.string(),
    order: z.number(),
    probability: z.number().nullable().openapi({
      description:
        'Null for a partner user when the model lists Probability in Vendor_Only_Fields__c.',
    }),
    forecastCategory: z.enum(FORECAST_CATEGORIES).nullable().openapi({
      description:
        'Null for a partner user when the model lists ForecastCategoryName in Vendor_Only_Fields__c.',
    }),
    stallDays: z.number().nullable(),
    closed: z.boolean(),
    won: z.boolean(),
  })
  .openapi('LifecycleStage');

const EvaluationProblemSchema = z
  .object({
    object: z.string().openapi({
      description: 'Object API name of the record that stores the value.',
    }),
    recordId: z.string(),
    field: z.string().openapi({
      description: 'Field API name, or the path a criterion reads.',
    }),
    value: z.unknown().optional().openapi({
      description:
        'The stored value. Absent for a partner user when the model lists the field in Vendor_Only_Fields__c.',
    }),
    message: z.string(),
    fix: z.string(),
  })
  .openapi('EvaluationProblem');

const AgendaItemSchema = z
  .object({
    dealId: z.string(),
    dealName: z.string(),
    partnerAccount: PartnerRefSchema.nullable(),
    stage: LifecycleStageSchema.nullable(),
    stageNotInModel: z.string().nullable().openapi({
      description:
        "The stored Cosell_Stage__c when the deal's model does not have that stage or is not loaded, else null.",
    }),
    detail: z.string(),
    ageDays: z.number().optional(),
    request: StageRequestSchema.optional(),
    requesterLeftSide: z.boolean().optional().openapi({
      description:
        'True on a waiting request whose requester is no longer on the requesting side of the deal. No one can confirm or reject it, and a user of either side may withdraw it.',
    }),
    unmet: z.array(CriterionResultSchema).optional(),
    problem: EvaluationProblemSchema.optional().openapi({
      description:
        'On notEvaluated items: the invalid stored value that stopped the evaluation of the deal.',
    }),
  })
  .openapi('AgendaItem');

export const AgendaSchema = z
  .object({
    generatedAt: z.string(),
    zone: z.string(),
    side: z.enum(['Vendor', 'Partner']),
    partnerAccountId: z.string().nullable(),
    partnerAccount: PartnerRefSchema.nullable(),
    expiringWithinDays: z.number(),
    waitingOnVendor: z.array(AgendaItemSchema),
    waitingOnPartner: z.array(AgendaItemSchema),
    stalled: z.array(AgendaItemSchema),
    regressed: z.array(AgendaItemSchema),
    blocked: z.array(AgendaItemSchema),
    notEvaluated: z.array(AgendaItemSchema).openapi({
      description:
        "Deals with an invalid stored value in their criteria, model, stage entry time or pending request's times, so they could not be evaluated. They may be regressed or blocked too. A deal with an invalid model, stage entry time or request time shows in no other section.",
    }),
    expiringRegistrations: z.array(
      z.object({ registration: RegistrationSchema, daysLeft: z.number() }),
    ),
  })
  .openapi('Agenda');

const PeriodSchema = z
  .object({
    label: z.string(),
    fiscalYear: z.number(),
    quarter: z.number().nullable(),
    start: z.string(),
    end: z.string(),
  })
  .openapi('FiscalPeriod');

const BandSchema = z
  .object({
    p10: z.string(),
    p50: z.string(),
    p90: z.string(),
  })
  .openapi({
    description:
      'Won amount plus percentiles of a Monte Carlo simulation of the open deals, as decimal text. The simulation adds doubles, so above 2^53 minor units (about 9.0e13 in a two-place currency) it keeps about 16 significant digits.',
  });

export const ForecastSchema = z
  .object({
    period: PeriodSchema,
    asOf: z.string(),
    currency: z.string(),
    dealCount: z.number(),
    openAmount: z.string(),
    wonAmount: z.string(),
    expected: z.string(),
    band: BandSchema,
    commit: z.string(),
    bestCase: z.string(),
    byCategory: z.array(
      z.object({
        category: z.enum(FORECAST_CATEGORIES),
        dealCount: z.number(),
        amount: z.string(),
      }),
    ),
    stages: z.array(
      z.object({
        model: z.string(),
        stage: z.string(),
        label: z.string(),
        forecastCategory: z.enum(FORECAST_CATEGORIES),
        dealCount: z.number(),
        amount: z.string(),
        probability: z.number(),
        configuredProbability: z.number(),
        forward: z.number(),
        lost: z.number(),
        expected: z.string(),
      }),
    ),
    calibration: z.object({ pseudoCount: z.number(), movesUsed: z.number() }),
    skipped: z.object({ unknownStage: z.number(), noAmount: z.number() }),
  })
  .openapi('Forecast');

const AccuracyShape = {
  dealCount: z.number(),
  expected: z.string(),
  band: BandSchema,
  actual: z.string(),
  hit: z.boolean(),
  absoluteError: z.string(),
  percentageError: z.number().nullable(),
};

const HIDDEN_AMOUNT =
  'Null for a partner user when a stage model lists Amount in Vendor_Only_Fields__c.';

const AccuracySummarySchema = z
  .object({
    periods: z.number(),
    hitRate: z.number().nullable(),
    meanAbsoluteError: z.string(),
    meanAbsolutePercentageError: z.number().nullable(),
  })
  .openapi('AccuracySummary');

export const BacktestSchema = z
  .object({
    asOf: z.string(),
    currency: z.string(),
    periods: z.array(
      z.object({
        ...AccuracyShape,
        period: PeriodSchema,
        forecastAt: z.string(),
        partners: z.array(
          z.object({ ...AccuracyShape, partnerAccountId: z.string() }),
        ),
      }),
    ),
    overall: AccuracySummarySchema,
    byPartner: z.array(
      AccuracySummarySchema.extend({ partnerAccountId: z.string() }),
    ),
  })
  .openapi('Backtest');

export const ScorecardsSchema = z
  .object({
    partners: z.array(
      z
        .object({
          partnerAccount: PartnerRefSchema,
          registrations: z.object({
            total: z.number(),
            approved: z.number(),
            rejected: z.number(),
            expired: z.number(),
            pending: z.number(),
            approvalRate: z.number().nullable(),
          }),
          conversions: z.array(
            z.object({
              model: z.string(),
              stage: z.string(),
              entered: z.number(),
              advanced: z.number(),
              stillIn: z.number(),
              rate: z.number().nullable(),
            }),
          ),
          deals: z.object({
            open: z.number(),
            won: z.number(),
            lost: z.number(),
            winRate: z.number().nullable(),
          }),
          currency: z.string(),
          sourcedRevenue: z.string().nullable().openapi({
            description: HIDDEN_AMOUNT,
          }),
          influencedRevenue: z.string().nullable().openapi({
            description: HIDDEN_AMOUNT,
          }),
          medianDaysInStage: z.array(
            z.object({
              model: z.string(),
              stage: z.string(),
              medianDays: z.number().nullable(),
              stays: z.number(),
            }),
          ),
          forecastAccuracy: AccuracySummarySchema.extend({
            meanAbsoluteError: z.string().nullable().openapi({
              description: HIDDEN_AMOUNT,
            }),
          }).nullable(),
          redacted: z.literal(true).optional().openapi({
            description:
              'Present when amounts were blanked for a partner user.',
          }),
        })
        .openapi('Scorecard'),
    ),
  })
  .openapi('Scorecards');
