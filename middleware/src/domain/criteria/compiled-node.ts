import type { FieldSchema, ObjectSchema, OrgSchema } from '../schema.js';
import type { RecordData } from '../records.js';
import type { CallNode, FormulaNode } from './ast.js';
import type { DirectField } from './field-access.js';
import type { FormulaType } from './formula-type.js';
import { TextLiteral, tokenize } from './lexer.js';
import type { RuntimeValue } from './runtime-values.js';
import type { Emitter } from './source-writer.js';
import type { EvaluationEnv, FieldRead } from './types.js';

const PLACEHOLDER_ENV: EvaluationEnv = { now: new Date(0), timeZone: 'UTC' };
/** Read slots tracked in the `seen` bitmask; later slots use a set. */
const BITMASK_SLOTS = 31;

/**
 * State of one evaluation, shared by every closure of a formula. A compiled formula
 * keeps one and starts each evaluation with `begin`, because evaluations are
 * synchronous and never overlap. Each field or aggregate of the formula has a read
 * slot, so it is reported once however often the evaluation reads it.
 */
export class EvaluationContext {
  env = PLACEHOLDER_ENV;
  private reads: FieldRead[] = [];
  private seen = 0;
  private seenBeyond: Set<number> | undefined = undefined;

  begin(env: EvaluationEnv): void {
    this.env = env;
    // `new Array()` rather than `[]`: in the criteria benchmark on Node 20 the
    // literal made each recorded read cost about twice as much.
    this.reads = new Array<FieldRead>();
    this.seen = 0;
    this.seenBeyond = undefined;
  }

  /** Marks `slot` as read; returns whether this evaluation had not read it before. */
  isFirstRead(slot: number): boolean {
    if (slot < BITMASK_SLOTS) {
      const bit = 1 << slot;
      if ((this.seen & bit) !== 0) return false;
      this.seen |= bit;
      return true;
    }
    this.seenBeyond ??= new Set();
    if (this.seenBeyond.has(slot)) return false;
    this.seenBeyond.add(slot);
    return true;
  }

  /** Appends the read of a slot that `isFirstRead` just marked. */
  recordRead(read: FieldRead): void {
    this.reads.push(read);
  }

  /** Returns the reads of this evaluation, in the order it made them. */
  collectReads(): FieldRead[] {
    return this.reads;
  }
}

/** A compiled expression: reads the record in scope (the root or one child record). */
export type Evaluator = (
  record: RecordData,
  context: EvaluationContext,
) => RuntimeValue;

export interface CompiledNode {
  type: FormulaType;
  /** The closure back end, used where code generation from strings is disallowed. */
  evaluate: Evaluator;
  /** The generated-source back end; see generate-evaluator.ts. */
  emit: Emitter;
  node: FormulaNode;
  /** Set when the node reads a field: the object it belongs to and its schema. */
  field?: { objectName: string; schema: FieldSchema };
  /** Set for a field read without a lookup, so functions can read it themselves. */
  directField?: DirectField;
  /** Set for a literal, so operators can use its value without calling `evaluate`. */
  constant?: { value: RuntimeValue };
  /** Set where the negation is cheaper than NOT around `evaluate`, as for ISBLANK. */
  negated?: Evaluator;
}

/** Paths and read slots collected while one formula is compiled. */
export class CompileState {
  readonly rootPaths = new Set<string>();
  readonly childPaths = new Map<string, Set<string>>();
  /**
   * Aggregate text, as `textOf` returns it, to the paths its child records read
   * on records of the root object, relative to that record.
   */
  readonly aggregateRootPaths = new Map<string, Set<string>>();
  /** Read slot to the number of places in the formula that read it. */
  readonly slotUses = new Map<number, number>();
  private readonly pathSlots = new Map<string, number>();
  /** Evidence text of each aggregate call, keyed by its normalised tokens. */
  private readonly aggregateTexts = new Map<string, string>();
  private slotCount = 0;

  constructor(
    readonly schema: OrgSchema,
    readonly criterionName: string,
    readonly source: string,
    /** API name of the object the formula is evaluated on, such as `Opportunity`. */
    readonly rootObject: string,
  ) {}

  /**
   * Returns the read slot of a root path or an aggregate's text, and counts the
   * mention. Every mention of the same path or text shares a slot, so it is
   * reported once.
   */
  slotOf(path: string): number {
    let slot = this.pathSlots.get(path);
    if (slot === undefined) {
      slot = this.slotCount++;
      this.pathSlots.set(path, slot);
    }
    this.slotUses.set(slot, (this.slotUses.get(slot) ?? 0) + 1);
    return slot;
  }

  /**
   * Returns an aggregate call's text for the evidence: the call as first written in
   * the formula, each run of white space outside quoted text as one space. Calls
   * that differ only in white space, comments or the case of names get the first
   * one's text, so they share a read slot and the evidence lists the aggregate once.
   */
  aggregateText(call: CallNode): string {
    const written = this.source.slice(call.startOffset, call.endOffset + 1);
    const tokens = tokenize(written, this.criterionName);
    const key = tokens
      .map((token) =>
        token.tokenType === TextLiteral
          ? token.image
          : token.image.toLowerCase(),
      )
      .join(' ');
    let text = this.aggregateTexts.get(key);
    if (text === undefined) {
      text = '';
      let gapStart = 0;
      for (const token of tokens) {
        const gap = written.slice(gapStart, token.startOffset);
        text += gap.replace(/\s+/g, ' ') + token.image;
        gapStart = token.startOffset + token.image.length;
      }
      this.aggregateTexts.set(key, text);
    }
    return text;
  }
}

/**
 * Scope of an expression being compiled: the root object, or the records of one
 * child relationship inside an aggregate. Reads inside an aggregate are summarised
 * by the aggregate instead of reported one by one.
 */
export interface Scope {
  object: ObjectSchema;
  state: CompileState;
  /**
   * Set inside an aggregate. It names the function and child relationship, and
   * `compilePath` adds the root-object paths read on the child records.
   */
  aggregate?: {
    functionName: string;
    relationship: string;
    rootPaths: Set<string>;
  };
}

/** Compiles a sub-expression in a scope; passed to function and operator builders. */
export type CompileNode = (node: FormulaNode, scope: Scope) => CompiledNode;
