/**
 * Writes the JavaScript source of one formula's evaluator, which
 * generate-evaluator.ts builds with `new Function`.
 *
 * Safety invariant: no text from the formula or the schema enters the source.
 * Field and relationship names, text literals, picklist values, numbers, paths,
 * the criterion name and the helper functions go into the constants array that
 * the built function receives, and the source names each one `k<index>`. All
 * other source text is written by the emitters of this folder: fixed code, local
 * names of a fixed prefix and a counter, and integers that they compute. The only
 * string literals are the `typeof` results 'string', 'number', 'boolean' and
 * 'object', which V8 compiles to a type test only when they are written in place.
 */

/**
 * Writes the code of one compiled node and returns a JavaScript expression for its
 * runtime value: a local name, a constant's name or a literal such as `null`.
 * `record` is the name of the local with the record in scope, the root or a child.
 */
export type Emitter = (writer: SourceWriter, record: string) => string;

/** Prefixes of the locals that emitters declare, so the source reads by kind. */
type LocalPrefix =
  | 'v' // a runtime value
  | 'raw' // a record's raw field value
  | 'parent' // a record reached through a lookup
  | 'list' // the child records of an aggregate
  | 'child' // one child record
  | 'i' // a loop index
  | 'matched' // matching child records
  | 'total' // the sum of a SUM
  | 'read' // a read of the evaluation's evidence
  | 'done'; // a labeled block that AND or OR leaves early

const INDENT = '  ';

export class SourceWriter {
  private readonly constants: unknown[] = [];
  private readonly constantNames = new Map<unknown, string>();
  private readonly lines: string[] = [];
  /** Flags of reads that more than one place may make first, declared up front. */
  private readonly readFlags: string[] = [];
  /** Locals of the reads, in order, when `staticReads` is set. */
  private readonly readNames: string[] = [];
  /** Whether every read written so far is static, as `allReadsStatic` defines it. */
  private everyReadStatic = true;
  /** Locals whose value is always true or false, so tests on them skip `=== true`. */
  private readonly booleans = new Set<string>(['true', 'false']);
  private localCount = 0;
  private depth = 1;

  /**
   * @param slotUses the number of places in the formula that read each slot, from
   * CompileState. A slot read in one place needs no flag to be reported once.
   * @param staticReads whether to return the reads as one array literal, which is
   * correct only where `allReadsStatic` of a first writing of the same node was
   * true. It saves growing an array by `push` in every evaluation.
   */
  constructor(
    private readonly slotUses: ReadonlyMap<number, number>,
    private readonly staticReads = false,
  ) {}

  /**
   * Whether every read was written outside any block, each for a slot read in one
   * place. The evaluator has no early exit, so then each read happens once on every
   * path that returns, in the order written.
   */
  get allReadsStatic(): boolean {
    return this.everyReadStatic;
  }

  /** Returns the name of the local bound to `value`, one per distinct value. */
  constant(value: unknown): string {
    // A Map treats 0 and -0 as one key, so -0 gets a constant of its own.
    const shareable = !Object.is(value, -0);
    const known = shareable ? this.constantNames.get(value) : undefined;
    if (known !== undefined) return known;
    const name = `k${this.constants.length}`;
    this.constants.push(value);
    if (shareable) this.constantNames.set(value, name);
    return name;
  }

  /** Returns a new local name with the given prefix. */
  local(prefix: LocalPrefix): string {
    return `${prefix}${this.localCount++}`;
  }

  /** Writes one statement or block line at the current indentation. */
  line(code: string): void {
    this.lines.push(INDENT.repeat(this.depth) + code);
  }

  /** Writes `head {`, the body that `writeBody` writes, and `}`. */
  block(head: string, writeBody: () => void): void {
    this.line(`${head} {`);
    this.depth++;
    writeBody();
    this.depth--;
    this.line('}');
  }

  /** Declares a const of the expression's value and returns its name. */
  value(expression: string, options: { boolean?: boolean } = {}): string {
    const name = this.local('v');
    this.line(`const ${name} = ${expression};`);
    if (options.boolean) this.booleans.add(name);
    return name;
  }

  /** Declares a `let` that later code assigns, and returns its name. */
  variable(initial: string, options: { boolean?: boolean } = {}): string {
    const name = this.local('v');
    this.line(`let ${name} = ${initial};`);
    if (options.boolean) this.booleans.add(name);
    return name;
  }

  /** Returns a test that is true when the expression is TRUE, and false for blank. */
  isTrue(expression: string): string {
    return this.booleans.has(expression)
      ? expression
      : `${expression} === true`;
  }

  /**
   * Writes the code that reports a read. It appends the read to the evaluation's
   * reads the first time only, or with `staticReads` keeps it in a local for the
   * returned array literal.
   */
  recordRead(slot: number, read: string): void {
    const single = (this.slotUses.get(slot) ?? 0) <= 1;
    if (!single || this.depth > 1) this.everyReadStatic = false;
    if (this.staticReads) {
      const name = this.local('read');
      this.line(`const ${name} = ${read};`);
      this.readNames.push(name);
      return;
    }
    if (single) {
      this.line(`reads.push(${read});`);
      return;
    }
    const flag = `seen${slot}`;
    if (!this.readFlags.includes(flag)) this.readFlags.push(flag);
    this.block(`if (!${flag})`, () => {
      this.line(`${flag} = true;`);
      this.line(`reads.push(${read});`);
    });
  }

  /**
   * Returns the body of a function of `constants` that returns the evaluator, and
   * the constants array to call it with. `result` is the root node's expression.
   */
  finish(result: string): { body: string; constants: unknown[] } {
    const prologue = this.constants.map(
      (_, index) => `const k${index} = constants[${index}];`,
    );
    const flags = this.readFlags.map((flag) => `${INDENT}let ${flag} = false;`);
    const reads = this.staticReads
      ? []
      : [`${INDENT}const reads = [];`, ...flags];
    const returned = this.staticReads
      ? `{ value: ${result}, reads: [${this.readNames.join(', ')}] }`
      : `{ value: ${result}, reads }`;
    const body = [
      ...prologue,
      'return function evaluate(record, env) {',
      ...reads,
      ...this.lines,
      `${INDENT}return ${returned};`,
      '};',
    ].join('\n');
    return { body, constants: this.constants };
  }
}
