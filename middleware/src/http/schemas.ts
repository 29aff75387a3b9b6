import {
  isSalesforceId,
  salesforceIdProblem,
  toId18,
} from '../domain/salesforce-id.js';
import {
  BIDI_CONTROLS,
  codePoint,
  CONTROL_CHARACTERS,
  CONTROL_CHARACTERS_IN_LINES,
  LONE_SURROGATE,
} from '../domain/control-characters.js';
import { REQUEST_KINDS, REQUEST_STATUSES } from '../domain/cosell.js';
import {
  closestIsoCurrencyCode,
  isIsoCurrencyCode,
} from '../domain/lifecycle/money.js';
import { textLength, textLengthNote } from '../domain/text-length.js';
import { echoText } from './echoed-text.js';
import { z } from './zod-openapi.js';

export const SalesforceIdSchema = z
  .string()
  .refine(isSalesforceId, {
    error: (issue) => salesforceIdProblem(issue.input),
  })
  .transform((id: string) => toId18(id))
  .openapi({
    type: 'string',
    description: '15- or 18-character Salesforce Id; responses always use 18.',
    example: '006000000000001AAA',
  });

/** A standard object whose Ids start with the same key prefix in every org. */
export interface StandardObjectId {
  /** The object's name with its article, such as "an Opportunity". */
  withArticle: string;
  keyPrefix: string;
  example: string;
}

export const OPPORTUNITY_ID: StandardObjectId = {
  withArticle: 'an Opportunity',
  keyPrefix: '006',
  example: '006000000000001AAA',
};
export const USER_ID: StandardObjectId = {
  withArticle: 'a User',
  keyPrefix: '005',
  example: '005000000000001AAA',
};
export const ACCOUNT_ID: StandardObjectId = {
  withArticle: 'an Account',
  keyPrefix: '001',
  example: '001000000000100AAA',
};

/**
 * Returns a schema for the Id of one standard object. It rejects the Id of
 * another object by its key prefix, naming the value and the prefix expected,
 * because a lookup with such an Id could only fail as "not found". The message
 * contains "Salesforce Id", so the problem's code is `invalid_id`.
 */
export function standardObjectIdSchema(target: StandardObjectId) {
  const { withArticle, keyPrefix, example } = target;
  return z
    .string()
    .refine(isSalesforceId, {
      error: (issue) => salesforceIdProblem(issue.input),
    })
    .refine((id) => !isSalesforceId(id) || id.startsWith(keyPrefix), {
      error: (issue) =>
        `${JSON.stringify(issue.input)} is not ${withArticle} Id: send the Salesforce Id of ${withArticle}, which starts with ${keyPrefix}, such as ${example}`,
    })
    .transform((id: string) => toId18(id))
    .openapi({
      type: 'string',
      description: `15- or 18-character Salesforce Id of ${withArticle}, starting with ${keyPrefix}; responses always use 18.`,
      example,
    });
}

/**
 * A currency code checked against the ISO 4217 list that `COSELL_CORPORATE_CURRENCY`
 * and `COSELL_CURRENCY_RATES` are checked against, so a body accepts the codes
 * that the configuration accepts.
 */
export const CurrencyIsoCodeSchema = z
  .string()
  .superRefine((code, ctx) => {
    if (isIsoCurrencyCode(code)) return;
    const closest = closestIsoCurrencyCode(code);
    const hint = closest ? ` Did you mean ${closest}?` : '';
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(echoText(code).text)} is not a current ISO 4217 currency code.${hint} Send a current three-letter code in capitals, such as USD`,
      input: code,
    });
  })
  .openapi({
    description:
      "A three-letter ISO 4217 code such as USD, in capitals and current: one that Node.js lists in Intl.supportedValuesOf('currency').",
    example: 'USD',
  });

/**
 * Zod's max_length check, counting with `textLength` (UTF-16 code units, as the
 * store does) where zod 4.6.7 counts code points. Text of 501 emoji would otherwise
 * pass a maximum of 1000 here and fail the store's check of the same limit. The
 * check keeps the kind `max_length`, so the OpenAPI document and the messages of
 * `zod-messages.ts` still read its maximum.
 */
const $ZodCheckMaxTextLength = z.core.$constructor(
  '$ZodCheckMaxTextLength',
  (
    inst: z.core.$ZodCheckMaxLength<string>,
    def: z.core.$ZodCheckMaxLengthDef,
  ) => {
    z.core.$ZodCheckMaxLength.init(inst, def);
    inst._zod.check = (payload) => {
      const text = payload.value;
      if (textLength(text) <= def.maximum) return;
      payload.issues.push({
        origin: 'string',
        code: 'too_big',
        maximum: def.maximum,
        inclusive: true,
        input: text,
        inst,
        continue: !def.abort,
      });
    };
  },
);

/**
 * Returns a check of a text's maximum length in UTF-16 code units, for
 * `.check()` in place of `.max()`. `message` replaces the error map's message,
 * and either one explains the count when the text contains an emoji.
 */
export function maxTextLength(
  maximum: number,
  message?: string,
): z.core.$ZodCheckMaxLength<string> {
  return new $ZodCheckMaxTextLength({
    check: 'max_length',
    maximum,
    ...(message === undefined
      ? {}
      : {
          error: (issue: { input?: unknown }) =>
            `${message}${textLengthNote(String(issue.input))}`,
        }),
  });
}

/**
 * Builds a trimmed text schema that rejects the control characters `pattern`
 * matches, the bidirectional controls and lone UTF-16 surrogates, naming the
 * first one found and the fix.
 */
function textWithout(pattern: RegExp, fix: string, description: string) {
  return z
    .string()
    .trim()
    .superRefine((text, ctx) => {
      const control = pattern.exec(text);
      if (control) {
        ctx.addIssue({
          code: 'custom',
          message: `must not contain control characters such as ${codePoint(control[0])}; ${fix}`,
          input: text,
        });
      }
      const bidi = BIDI_CONTROLS.exec(text);
      if (bidi) {
        ctx.addIssue({
          code: 'custom',
          message: `must not contain bidirectional control characters such as ${codePoint(bidi[0])}; remove them (U+202A to U+202E, U+2066 to U+2069)`,
          input: text,
        });
      }
      const surrogate = LONE_SURROGATE.exec(text);
      if (surrogate) {
        ctx.addIssue({
          code: 'custom',
          message: `must not contain the lone UTF-16 surrogate ${codePoint(surrogate[0])}, which is not a Unicode character; send a character outside the Basic Multilingual Plane as a pair of \\u escapes, such as \\ud83d\\ude00, or unescaped`,
          input: text,
        });
      }
    })
    .openapi({ description });
}

/**
 * Returns a schema for one line of free text, such as a company name. It trims
 * the text and rejects C0 control characters, DEL, bidirectional controls and
 * lone surrogates, tabs and line breaks too.
 */
export function singleLineText() {
  return textWithout(
    CONTROL_CHARACTERS,
    'remove them, and write the value on one line without tabs',
    'One line of text without control characters (U+0000 to U+001F, U+007F), bidirectional controls (U+202A to U+202E, U+2066 to U+2069) or lone UTF-16 surrogates.',
  );
}

/**
 * Returns a schema for free text that may span lines, such as a reason. It trims
 * the text and rejects C0 control characters, DEL, bidirectional controls and
 * lone surrogates, apart from tab, line feed and carriage return.
 */
export function multiLineText() {
  return textWithout(
    CONTROL_CHARACTERS_IN_LINES,
    'remove them (tabs and line breaks may stay)',
    'Text without control characters (U+0000 to U+001F, U+007F) other than tab, line feed and carriage return, without bidirectional controls (U+202A to U+202E, U+2066 to U+2069) and without lone UTF-16 surrogates.',
  );
}

export const DealParamsSchema = z.object({ dealId: SalesforceIdSchema });
export const RequestParamsSchema = z.object({ requestId: SalesforceIdSchema });

const StageValueSchema = z.string().min(1).max(80).openapi({
  description: 'A Cosell_Stage__c value, such as Jointly_Qualified.',
});

export const CreateStageRequestBodySchema = z
  .object({
    kind: z.enum(REQUEST_KINDS),
    toStage: StageValueSchema.optional().openapi({
      description:
        "Target stage value: required for Back, the next stage when absent for Advance, and always the model's lost stage for Close Lost.",
    }),
    reason: multiLineText().min(1).check(maxTextLength(1000)).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.kind !== 'Back' || body.toStage !== undefined) return;
    ctx.addIssue({
      code: 'custom',
      path: ['toStage'],
      message:
        'toStage is missing: a Back request must name the earlier stage to move to, such as Jointly_Qualified',
      input: undefined,
    });
  })
  .openapi('CreateStageRequest');

export const ConfirmBodySchema = z
  .object({})
  .strict()
  .openapi('ConfirmRequest');

export const RejectBodySchema = z
  .object({
    reason: multiLineText().min(1).check(maxTextLength(1000)),
  })
  .strict()
  .openapi('RejectRequest');

export const WithdrawBodySchema = z
  .object({
    reason: multiLineText().min(1).check(maxTextLength(1000)).optional(),
  })
  .strict()
  .openapi('WithdrawRequest');

export const OverrideBodySchema = z
  .object({
    reason: multiLineText().min(1).check(maxTextLength(1000)),
  })
  .strict()
  .openapi('OverrideRequest');

export const AuthHeadersSchema = z.object({
  authorization: z.string().openapi({
    description: 'Bearer token: `Bearer <COSELL_API_TOKEN>`.',
  }),
  'x-cosell-acting-user': SalesforceIdSchema.openapi({
    description:
      'Id of the Salesforce user the caller acts for; the middleware looks up their side.',
    example: '005000000000001AAA',
  }),
});

export const IdempotencyHeaderSchema = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,100}$/)
    .optional()
    .openapi({
      description:
        'Makes a POST safe to retry: 1-100 printable ASCII characters (U+0021 to U+007E), kept for 24 hours per caller and acting user.',
    }),
});

const StageSchema = z
  .object({
    value: z.string(),
    label: z.string(),
    order: z.number(),
    probability: z.number().nullable().openapi({
      description:
        'Null for a partner user when the model lists Probability in Vendor_Only_Fields__c.',
    }),
    forecastCategory: z.string().nullable().openapi({
      description:
        'Null for a partner user when the model lists ForecastCategoryName in Vendor_Only_Fields__c.',
    }),
    closed: z.boolean(),
    won: z.boolean(),
    stallDays: z.number().nullable(),
  })
  .openapi('Stage');

const SideSchema = z.enum(['Vendor', 'Partner']);

const UserRefSchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    side: SideSchema.nullable(),
  })
  .openapi('UserRef');

const FieldReadSchema = z.object({
  path: z.string(),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
  relationship: z.string().optional(),
  recordCount: z.number().optional(),
  matchedCount: z.number().optional(),
  redacted: z.boolean().optional(),
});

export const CriterionResultSchema = z
  .object({
    name: z.string(),
    label: z.string(),
    kind: z.enum(['Exit', 'Closing']),
    stage: z.string(),
    ruleText: z.string(),
    evidenceLabel: z.string(),
    met: z.boolean(),
    value: z.boolean().nullable(),
    evidence: z.array(FieldReadSchema),
  })
  .openapi('CriterionResult');

export const StageRequestSchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    dealId: z.string(),
    fromStage: z.string().nullable(),
    toStage: z.string(),
    kind: z.enum(REQUEST_KINDS),
    status: z.enum(REQUEST_STATUSES),
    requestedBy: UserRefSchema,
    requestingSide: SideSchema,
    respondedBy: UserRefSchema.nullable(),
    respondedAt: z.string().nullable(),
    reason: z
      .string()
      .nullable()
      .openapi({ description: "The requester's reason." }),
    responseReason: z.string().nullable().openapi({
      description:
        'The reason of the rejection, withdrawal or expiry (`Expired unanswered.`). A Close Lost override keeps the expiry text and adds its own reason after it.',
    }),
    expiresAt: z.string(),
    createdAt: z.string(),
    waitingFor: SideSchema.nullable(),
    unmet: z.array(CriterionResultSchema),
  })
  .openapi('StageRequest');

export const TransitionSchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    dealId: z.string(),
    fromStage: z.string().nullable(),
    toStage: z.string(),
    requestId: z.string().nullable(),
    requestedBy: UserRefSchema,
    confirmedBy: UserRefSchema,
    at: z.string(),
    oneSided: z.boolean(),
    version: z.number(),
    evidence: z.array(CriterionResultSchema),
    attribution: z.unknown(),
  })
  .openapi('Transition');

export const MoveResultSchema = z
  .object({ request: StageRequestSchema, transition: TransitionSchema })
  .openapi('MoveResult');

export const DealSchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    model: z.string(),
    stage: StageSchema.nullable(),
    stageNotInModel: z.string().nullable().openapi({
      description:
        "The stored Cosell_Stage__c when the deal's model has no such stage, so `stage` is null and evaluation and stage requests answer 409 `stage_not_in_model`; null otherwise.",
    }),
    stageEnteredAt: z.string().nullable(),
    version: z.number(),
    amount: z.string().nullable().openapi({ description: 'Decimal text.' }),
    currencyIsoCode: z.string().nullable(),
    closeDate: z.string().nullable(),
    partnerAccount: z
      .object({ id: z.string(), name: z.string().nullable() })
      .nullable(),
    vendorOwner: UserRefSchema.nullable(),
    partnerOwner: UserRefSchema.nullable(),
    pendingRequest: StageRequestSchema.nullable(),
    fields: z.record(z.string(), z.unknown()),
    viewer: z.object({
      userId: z.string(),
      side: SideSchema.nullable(),
      canRequest: z.boolean(),
      canConfirm: z.boolean(),
      canWithdraw: z.boolean().openapi({
        description:
          'Whether the viewer may withdraw the pending request: a user of the requesting side, or of either side once the requester has left the requesting side.',
      }),
      isChannelManager: z.boolean(),
    }),
    daysInStage: z.number().nullable().openapi({
      description:
        'Calendar days since the deal entered its stage, in COSELL_TIME_ZONE.',
    }),
    stalled: z.boolean().openapi({
      description: "More days in the stage than the stage's stall days.",
    }),
    regressed: z.boolean().openapi({
      description:
        'An exit criterion that let the deal into its stage no longer holds.',
    }),
    regressedCriteria: z.array(CriterionResultSchema),
  })
  .openapi('Deal');

export const EvaluationSchema = z
  .object({
    dealId: z.string(),
    evaluatedAt: z.string(),
    stage: StageSchema.nullable(),
    nextStage: StageSchema.nullable(),
    criteria: z.array(CriterionResultSchema).openapi({
      description:
        "The exit criteria of the deal's stage, or the closing criteria of the closed stage it is in. When nextStage is the won stage, its closing criteria follow, with kind Closing and stage set to nextStage.value, because that move needs them too.",
    }),
    allMet: z.boolean().openapi({
      description: 'Every listed criterion is met, closing criteria included.',
    }),
  })
  .openapi('Evaluation');

export const TransitionsSchema = z
  .object({ transitions: z.array(TransitionSchema) })
  .openapi('Transitions');

export const ModelsSchema = z
  .object({
    models: z.array(
      z.object({
        name: z.string(),
        label: z.string(),
        requestExpiryHours: z.number(),
        registrationExpiryDays: z.number(),
        vendorOnlyFields: z.array(z.string()),
        stages: z.array(
          StageSchema.extend({
            criteria: z.array(
              z.object({
                name: z.string(),
                label: z.string(),
                kind: z.string(),
                formula: z.string(),
                ruleText: z.string(),
                evidenceLabel: z.string(),
                order: z.number(),
              }),
            ),
          }),
        ),
      }),
    ),
  })
  .openapi('StageModels');

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    code: z
      .string()
      .openapi({ description: 'Stable machine-readable error code.' }),
    detail: z.string(),
    fix: z.string().openapi({ description: 'What to do next.' }),
    value: z.unknown().optional(),
    issues: z
      .array(
        z.object({ path: z.string(), message: z.string(), code: z.string() }),
      )
      .optional(),
    unmet: z.array(CriterionResultSchema).optional(),
    pendingRequestId: z.string().optional(),
  })
  .openapi('Problem');
