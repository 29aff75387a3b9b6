import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import type { RecordData } from '../../../middleware/src/domain/records.js';

/**
 * Random formulas for the property tests, as trees that print to formula text and
 * that a plain recursive interpreter evaluates by the rules of
 * docs/criteria-language.md: blanks propagate through arithmetic, make comparisons
 * false, count as false in logic; text blanks equal "".
 */
type NumberField = 'Amount' | 'Probability' | 'TotalOpportunityQuantity';
type TextField = 'NextStep' | 'Description';
type Comparison = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type ChildCondition =
  | { kind: 'role'; value: string }
  | { kind: 'split'; op: Comparison; value: string }
  | { kind: 'splitBlank' }
  | { kind: 'childNot'; inner: ChildCondition }
  | { kind: 'childAnd'; left: ChildCondition; right: ChildCondition };

export type NumberExpr =
  | { kind: 'numberField'; field: NumberField }
  | { kind: 'numberLiteral'; text: string }
  | {
      kind: 'arithmetic';
      op: '+' | '-' | '*';
      left: NumberExpr;
      right: NumberExpr;
    }
  | { kind: 'numberIf'; test: BoolExpr; then: NumberExpr; else: NumberExpr }
  | { kind: 'blankValue'; value: NumberExpr; substitute: NumberExpr }
  | { kind: 'count'; condition?: ChildCondition }
  | { kind: 'sum'; condition?: ChildCondition }
  | { kind: 'nullNumber' };

export type TextExpr =
  | { kind: 'textField'; field: TextField }
  | { kind: 'textLiteral'; value: string }
  | { kind: 'concat'; left: TextExpr; right: TextExpr }
  | { kind: 'stageText' };

export type BoolExpr =
  | { kind: 'won' }
  | { kind: 'boolLiteral'; value: boolean }
  | { kind: 'nullBool' }
  | { kind: 'and' | 'or'; args: BoolExpr[] }
  | { kind: 'andOperator' | 'orOperator'; left: BoolExpr; right: BoolExpr }
  | { kind: 'not' | 'bang'; inner: BoolExpr }
  | { kind: 'boolIf'; test: BoolExpr; then: BoolExpr; else: BoolExpr }
  | { kind: 'compare'; op: Comparison; left: NumberExpr; right: NumberExpr }
  | { kind: 'textEqual'; op: '=' | '<>'; left: TextExpr; right: TextExpr }
  | { kind: 'numberBlank'; inner: NumberExpr }
  | { kind: 'textBlank'; inner: TextExpr }
  | { kind: 'stage'; value: string }
  | { kind: 'closeDate'; op: Comparison; days: number }
  | { kind: 'all' | 'any'; condition: ChildCondition };

const comparison = fc.constantFrom<Comparison>('=', '<>', '<', '<=', '>', '>=');
const decimalText = fc
  .integer({ min: -20000, max: 20000 })
  .map((cents) => new Decimal(cents).dividedBy(100).toFixed());
const ROLES = ['Sourcing', 'Influencing'];
const STAGES = ['Prospecting', 'Closed Won', 'Closed Lost'];

const childCondition: fc.Arbitrary<ChildCondition> = fc.letrec<{
  condition: ChildCondition;
}>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      kind: fc.constant('role' as const),
      value: fc.constantFrom(...ROLES),
    }),
    fc.record({
      kind: fc.constant('split' as const),
      op: comparison,
      value: decimalText,
    }),
    fc.constant({ kind: 'splitBlank' as const }),
    fc.record({
      kind: fc.constant('childNot' as const),
      inner: tie('condition'),
    }),
    fc.record({
      kind: fc.constant('childAnd' as const),
      left: tie('condition'),
      right: tie('condition'),
    }),
  ),
})).condition;

const formulas = fc.letrec<{
  bool: BoolExpr;
  number: NumberExpr;
  text: TextExpr;
}>((tie) => ({
  number: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      kind: fc.constant('numberField' as const),
      field: fc.constantFrom<NumberField>(
        'Amount',
        'Probability',
        'TotalOpportunityQuantity',
      ),
    }),
    fc.record({
      kind: fc.constant('numberLiteral' as const),
      text: decimalText,
    }),
    fc.constant({ kind: 'nullNumber' as const }),
    fc.record({
      kind: fc.constant('count' as const),
      condition: fc.option(childCondition, { nil: undefined }),
    }),
    fc.record({
      kind: fc.constant('sum' as const),
      condition: fc.option(childCondition, { nil: undefined }),
    }),
    fc.record({
      kind: fc.constant('arithmetic' as const),
      op: fc.constantFrom<'+' | '-' | '*'>('+', '-', '*'),
      left: tie('number'),
      right: tie('number'),
    }),
    fc.record({
      kind: fc.constant('numberIf' as const),
      test: tie('bool'),
      then: tie('number'),
      else: tie('number'),
    }),
    fc.record({
      kind: fc.constant('blankValue' as const),
      value: tie('number'),
      substitute: tie('number'),
    }),
  ),
  text: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      kind: fc.constant('textField' as const),
      field: fc.constantFrom<TextField>('NextStep', 'Description'),
    }),
    fc.record({
      kind: fc.constant('textLiteral' as const),
      value: fc.constantFrom('', 'a', 'b', 'ab', 'A'),
    }),
    fc.constant({ kind: 'stageText' as const }),
    fc.record({
      kind: fc.constant('concat' as const),
      left: tie('text'),
      right: tie('text'),
    }),
  ),
  bool: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant({ kind: 'won' as const }),
    fc.record({
      kind: fc.constant('boolLiteral' as const),
      value: fc.boolean(),
    }),
    fc.constant({ kind: 'nullBool' as const }),
    fc.record({
      kind: fc.constant('stage' as const),
      value: fc.constantFrom('', ...STAGES),
    }),
    fc.record({
      kind: fc.constant('closeDate' as const),
      op: comparison,
      days: fc.integer({ min: -3, max: 3 }),
    }),
    fc.record({
      kind: fc.constantFrom('all' as const, 'any' as const),
      condition: childCondition,
    }),
    fc.record({
      kind: fc.constant('numberBlank' as const),
      inner: tie('number'),
    }),
    fc.record({ kind: fc.constant('textBlank' as const), inner: tie('text') }),
    fc.record({
      kind: fc.constant('compare' as const),
      op: comparison,
      left: tie('number'),
      right: tie('number'),
    }),
    fc.record({
      kind: fc.constant('textEqual' as const),
      op: fc.constantFrom<'=' | '<>'>('=', '<>'),
      left: tie('text'),
      right: tie('text'),
    }),
    fc.record({
      kind: fc.constantFrom('and' as const, 'or' as const),
      args: fc.array(tie('bool'), { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      kind: fc.constantFrom('andOperator' as const, 'orOperator' as const),
      left: tie('bool'),
      right: tie('bool'),
    }),
    fc.record({
      kind: fc.constantFrom('not' as const, 'bang' as const),
      inner: tie('bool'),
    }),
    fc.record({
      kind: fc.constant('boolIf' as const),
      test: tie('bool'),
      then: tie('bool'),
      else: tie('bool'),
    }),
  ),
}));

export const boolExpr = formulas.bool;

const amount = fc.option(decimalText.map(Number), { nil: null });

/** Deals with blanks in every field the formulas read. */
export const dealRecord: fc.Arbitrary<RecordData> = fc.record({
  Amount: amount,
  Probability: amount,
  TotalOpportunityQuantity: amount,
  NextStep: fc.constantFrom(null, '', 'a', 'b', 'ab'),
  Description: fc.constantFrom(null, '', 'a', 'A'),
  IsWon: fc.constantFrom(null, true, false),
  StageName: fc.constantFrom(null, ...STAGES),
  CloseDate: fc.constantFrom(null, '2024-03-08', '2024-03-10', '2024-03-12'),
  Deal_Partners__r: fc.array(
    fc.record({
      Role__c: fc.constantFrom(null, ...ROLES),
      Split_Percent__c: amount,
    }),
    { maxLength: 3 },
  ),
}) as fc.Arbitrary<RecordData>;

const print = {
  child(c: ChildCondition): string {
    switch (c.kind) {
      case 'role':
        return `ISPICKVAL(Role__c, "${c.value}")`;
      case 'split':
        return `Split_Percent__c ${c.op} ${c.value}`;
      case 'splitBlank':
        return 'ISBLANK(Split_Percent__c)';
      case 'childNot':
        return `NOT(${print.child(c.inner)})`;
      case 'childAnd':
        return `AND(${print.child(c.left)}, ${print.child(c.right)})`;
    }
  },
  number(n: NumberExpr): string {
    const condition = (c?: ChildCondition) => (c ? `, ${print.child(c)}` : '');
    switch (n.kind) {
      case 'numberField':
        return n.field;
      case 'numberLiteral':
        return `(${n.text})`;
      case 'nullNumber':
        return 'IF(TRUE, NULL, 0)';
      case 'arithmetic':
        return `(${print.number(n.left)} ${n.op} ${print.number(n.right)})`;
      case 'numberIf':
        return `IF(${print.bool(n.test)}, ${print.number(n.then)}, ${print.number(n.else)})`;
      case 'blankValue':
        return `BLANKVALUE(${print.number(n.value)}, ${print.number(n.substitute)})`;
      case 'count':
        return `COUNT(Deal_Partners__r${condition(n.condition)})`;
      case 'sum':
        return `SUM(Deal_Partners__r, Split_Percent__c${condition(n.condition)})`;
    }
  },
  text(t: TextExpr): string {
    switch (t.kind) {
      case 'textField':
        return t.field;
      case 'textLiteral':
        return `"${t.value}"`;
      case 'stageText':
        return 'TEXT(StageName)';
      case 'concat':
        return `(${print.text(t.left)} & ${print.text(t.right)})`;
    }
  },
  bool(b: BoolExpr): string {
    switch (b.kind) {
      case 'won':
        return 'IsWon';
      case 'boolLiteral':
        return b.value ? 'TRUE' : 'FALSE';
      case 'nullBool':
        return 'IF(TRUE, NULL, FALSE)';
      case 'stage':
        return `ISPICKVAL(StageName, "${b.value}")`;
      case 'closeDate':
        return `(CloseDate + ${b.days} ${b.op} TODAY())`;
      case 'all':
      case 'any':
        return `${b.kind.toUpperCase()}(Deal_Partners__r, ${print.child(b.condition)})`;
      case 'numberBlank':
        return `ISBLANK(${print.number(b.inner)})`;
      case 'textBlank':
        return `ISBLANK(${print.text(b.inner)})`;
      case 'compare':
        return `(${print.number(b.left)} ${b.op} ${print.number(b.right)})`;
      case 'textEqual':
        return `(${print.text(b.left)} ${b.op} ${print.text(b.right)})`;
      case 'and':
      case 'or':
        return `${b.kind.toUpperCase()}(${b.args.map(print.bool).join(', ')})`;
      case 'andOperator':
        return `(${print.bool(b.left)} && ${print.bool(b.right)})`;
      case 'orOperator':
        return `(${print.bool(b.left)} || ${print.bool(b.right)})`;
      case 'not':
        return `NOT(${print.bool(b.inner)})`;
      case 'bang':
        return `!(${print.bool(b.inner)})`;
      case 'boolIf':
        return `IF(${print.bool(b.test)}, ${print.bool(b.then)}, ${print.bool(b.else)})`;
    }
  },
};

export const formulaText = (b: BoolExpr): string => print.bool(b);

const WIDE = Decimal.clone({ precision: 60 });
type Num = Decimal | null;

function compareSign(op: Comparison, sign: number): boolean {
  return {
    '=': sign === 0,
    '<>': sign !== 0,
    '<': sign < 0,
    '<=': sign <= 0,
    '>': sign > 0,
    '>=': sign >= 0,
  }[op];
}

function children(record: RecordData): RecordData[] {
  return (record['Deal_Partners__r'] as RecordData[] | null) ?? [];
}

/** Evaluates the trees directly; `today` is the evaluation date as YYYY-MM-DD. */
export function referenceInterpreter(today: string) {
  const day = (text: string) => Date.parse(`${text}T00:00:00Z`) / 86_400_000;
  const todayNumber = day(today);

  const child = (c: ChildCondition, r: RecordData): boolean => {
    const split = r['Split_Percent__c'] as number | null;
    switch (c.kind) {
      case 'role':
        return r['Role__c'] === c.value;
      case 'split':
        return (
          split !== null &&
          compareSign(c.op, new WIDE(split).cmp(new WIDE(c.value)))
        );
      case 'splitBlank':
        return split === null;
      case 'childNot':
        return !child(c.inner, r);
      case 'childAnd':
        return child(c.left, r) && child(c.right, r);
    }
  };

  const number = (n: NumberExpr, r: RecordData): Num => {
    switch (n.kind) {
      case 'numberField': {
        const value = r[n.field] as number | null;
        return value === null ? null : new WIDE(value);
      }
      case 'numberLiteral':
        return new WIDE(n.text);
      case 'nullNumber':
        return null;
      case 'arithmetic': {
        const a = number(n.left, r);
        const b = number(n.right, r);
        if (a === null || b === null) return null;
        return n.op === '+'
          ? a.plus(b)
          : n.op === '-'
            ? a.minus(b)
            : a.times(b);
      }
      case 'numberIf':
        return bool(n.test, r) === true ? number(n.then, r) : number(n.else, r);
      case 'blankValue':
        return number(n.value, r) ?? number(n.substitute, r);
      case 'count':
        return new WIDE(
          children(r).filter(
            (c) => !n.condition || child(n.condition, c),
          ).length,
        );
      case 'sum':
        return children(r)
          .filter((c) => !n.condition || child(n.condition, c))
          .map((c) => c['Split_Percent__c'] as number | null)
          .filter((v): v is number => v !== null)
          .reduce((total, v) => total.plus(v), new WIDE(0));
    }
  };

  const text = (t: TextExpr, r: RecordData): string => {
    switch (t.kind) {
      case 'textField':
        return (r[t.field] as string | null) ?? '';
      case 'textLiteral':
        return t.value;
      case 'stageText':
        return (r['StageName'] as string | null) ?? '';
      case 'concat':
        return text(t.left, r) + text(t.right, r);
    }
  };

  const bool = (b: BoolExpr, r: RecordData): boolean | null => {
    switch (b.kind) {
      case 'won':
        return r['IsWon'] === true;
      case 'boolLiteral':
        return b.value;
      case 'nullBool':
        return null;
      case 'stage':
        return b.value === ''
          ? r['StageName'] === null
          : r['StageName'] === b.value;
      case 'closeDate': {
        const close = r['CloseDate'] as string | null;
        return (
          close !== null && compareSign(b.op, day(close) + b.days - todayNumber)
        );
      }
      case 'all':
        return children(r).every((c) => child(b.condition, c));
      case 'any':
        return children(r).some((c) => child(b.condition, c));
      case 'numberBlank':
        return number(b.inner, r) === null;
      case 'textBlank':
        return text(b.inner, r) === '';
      case 'compare': {
        const a = number(b.left, r);
        const c = number(b.right, r);
        return a !== null && c !== null && compareSign(b.op, a.cmp(c));
      }
      case 'textEqual':
        return (text(b.left, r) === text(b.right, r)) === (b.op === '=');
      case 'and':
        return b.args.every((arg) => bool(arg, r) === true);
      case 'or':
        return b.args.some((arg) => bool(arg, r) === true);
      case 'andOperator':
        return bool(b.left, r) === true && bool(b.right, r) === true;
      case 'orOperator':
        return bool(b.left, r) === true || bool(b.right, r) === true;
      case 'not':
      case 'bang':
        return bool(b.inner, r) !== true;
      case 'boolIf':
        return bool(b.test, r) === true ? bool(b.then, r) : bool(b.else, r);
    }
  };

  return (b: BoolExpr, r: RecordData): boolean | null => bool(b, r);
}
