import type { FieldValue, RecordData } from '../records.js';
import type { OrgSchema } from '../schema.js';

/** Inputs that a formula reads besides the record. */
export interface EvaluationEnv {
  /** The evaluation instant; `NOW()` returns it. */
  now: Date;
  /** IANA time zone of the org; `TODAY()` is the calendar date there. */
  timeZone: string;
}

/** One value that an evaluation looked at, so people can see the evidence. */
export interface FieldRead {
  /**
   * Path from the root record, such as `Vendor_Owner__c` or `Owner__r.AccountId`;
   * for an aggregate, its text as written, such as `COUNT(Deal_Approvals__r)`.
   */
  path: string;
  value: FieldValue;
  /** Set for aggregates: the child relationship, and how many records matched. */
  relationship?: string;
  recordCount?: number;
  matchedCount?: number;
}

export interface FormulaResult {
  /** `null` is a blank result, which counts as not met. */
  value: boolean | null;
  reads: FieldRead[];
}

export interface CompileOptions {
  /** API name of the object the formula is evaluated on, such as `Opportunity`. */
  rootObject: string;
  schema: OrgSchema;
  /** Name of the criterion, used in error messages. */
  criterionName: string;
}

/** A parsed and type-checked formula, ready to evaluate many times. */
export interface CompiledFormula {
  readonly source: string;
  /** Root-object fields and lookup paths read, such as `Owner__r.AccountId`. */
  readonly fieldPaths: readonly string[];
  /** Child relationship name to the child fields read (lookup paths allowed). */
  readonly childFieldPaths: Readonly<Record<string, readonly string[]>>;
  /**
   * Aggregate text, as in its read's `path`, to the paths its child records read
   * on a record of the root object, relative to that record. For
   * `SUM(Deal_Approvals__r, Opportunity__r.Probability)` on Opportunity that is
   * `['Probability']`.
   */
  readonly aggregateRootPaths: Readonly<Record<string, readonly string[]>>;
  evaluate(record: RecordData, env: EvaluationEnv): FormulaResult;
}
