import { createHash } from 'node:crypto';
import {
  isSalesforceId,
  salesforceIdProblem,
  toId18,
} from '../domain/salesforce-id.js';
import type { ObjectSchema } from '../domain/schema.js';
import type { SourceRecord } from './import-types.js';
import { quoteValue, shortenText } from './quote-value.js';

const ID_ALPHABET =
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Builds a valid Id with the key prefix `prefix` from a SHA-256 hash of `seed`, so
 * the same seed always gives the same Id.
 */
export function deterministicId(prefix: string, seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let base = prefix;
  for (let i = 0; base.length < 15; i += 1) {
    base += ID_ALPHABET[(digest[i] ?? 0) % ID_ALPHABET.length];
  }
  return toId18(base);
}

/**
 * Explains why `value` of `fieldName` is not a Salesforce Id. For 18 letters and
 * digits, the message names the suffix that the letter case of the first 15
 * gives, as the HTTP API does. For other values, it names the lengths and `fix`.
 */
export function invalidIdReason(
  fieldName: string,
  value: unknown,
  fix: string,
): string {
  const problem = salesforceIdProblem(value);
  const wrongSuffix =
    typeof value === 'string' && /^[a-zA-Z0-9]{18}$/.test(value);
  if (wrongSuffix) return `${fieldName} ${quoteValue(value)} ${problem}`;
  return `${fieldName} ${quoteValue(value)} is not a 15- or 18-character Salesforce Id; ${fix}`;
}

/** A record that cannot be imported; its message is the reason users see. */
export class RecordProblem extends Error {}

/** A record of a known object, waiting for its Id. */
export interface IdCandidate {
  source: SourceRecord;
  object: ObjectSchema;
}

/** The outcome of {@link assignIds}: an Id per candidate, or why it has none. */
export type IdResult = { id: string } | { problem: RecordProblem };

/**
 * Assigns every candidate its Id and fills `references` (referenceId to Id). A given
 * Id is checked and widened to 18 characters. A missing one is derived from the
 * object, the referenceId and the field values, with each `@reference` replaced by
 * the Id of the record it names. So the same record gets the same Id in every import,
 * but two exports that both number a different deal `OpportunityRef1` do not collide.
 * Results are in the order of `candidates`.
 */
export function assignIds(
  candidates: IdCandidate[],
  references: Map<string, string>,
): IdResult[] {
  const results: Array<IdResult | undefined> = candidates.map(() => undefined);
  const referenceOrigin = new Map<string, string>();
  const pending: number[] = [];
  candidates.forEach(({ source, object }, index) => {
    const ref = source.referenceId;
    if (ref !== undefined) {
      const earlier = referenceOrigin.get(ref);
      if (earlier) {
        results[index] = {
          problem: new RecordProblem(
            `referenceId ${shortenText(ref)} is also the referenceId of ${earlier}; each referenceId may appear once in an import, so give one of them another referenceId`,
          ),
        };
        return;
      }
      referenceOrigin.set(ref, source.origin);
    }
    try {
      const suppliedId = givenId(source, object);
      if (suppliedId === undefined) {
        pending.push(index);
        return;
      }
      results[index] = { id: suppliedId };
      if (ref !== undefined) references.set(ref, suppliedId);
    } catch (error) {
      results[index] = { problem: error as RecordProblem };
    }
  });

  // A record's Id depends on the Ids of the records it refers to, so derive them in
  // dependency order (Kahn's algorithm): a record is ready once every record of the
  // import that it refers to has its Id.
  const pendingByReference = new Map<string, number>();
  for (const index of pending) {
    const ref = candidates[index]!.source.referenceId;
    if (ref !== undefined) pendingByReference.set(ref, index);
  }
  const dependents = new Map<number, number[]>();
  const waitingFor = new Map<number, number>();
  const ready: number[] = [];
  for (const index of pending) {
    const parents = new Set(
      referencesOf(candidates[index]!.source)
        .map((ref) => pendingByReference.get(ref))
        .filter((parent) => parent !== undefined),
    );
    for (const parent of parents) {
      const list = dependents.get(parent);
      if (list) list.push(index);
      else dependents.set(parent, [index]);
    }
    waitingFor.set(index, parents.size);
    if (parents.size === 0) ready.push(index);
  }
  const derive = (index: number, resolved: Map<string, string>): void => {
    const { source, object } = candidates[index]!;
    const id = derivedId(source, object, resolved);
    results[index] = { id };
    if (source.referenceId !== undefined) {
      references.set(source.referenceId, id);
    }
  };
  while (ready.length > 0) {
    const index = ready.pop()!;
    derive(index, references);
    for (const dependent of dependents.get(index) ?? []) {
      const count = waitingFor.get(dependent)! - 1;
      waitingFor.set(dependent, count);
      if (count === 0) ready.push(dependent);
    }
  }
  // NOTE: records in a reference cycle, and those that refer to them, keep the
  // @reference text of those references in their seeds. Two exports with the same
  // cycle and the same values therefore still collide.
  const resolvedBeforeCycles = new Map(references);
  for (const index of pending) {
    if (results[index] === undefined) derive(index, resolvedBeforeCycles);
  }
  return results.map((result) => result!);
}

/** Lists the referenceIds that the record's `@reference` values name. */
function referencesOf(source: SourceRecord): string[] {
  return Object.values(source.fields)
    .filter((v): v is string => typeof v === 'string' && v.startsWith('@'))
    .map((v) => v.slice(1));
}

function derivedId(
  source: SourceRecord,
  object: ObjectSchema,
  references: Map<string, string>,
): string {
  const values = Object.entries(source.fields)
    .filter(([name]) => name.toLowerCase() !== 'id')
    .map(([name, value]): [string, unknown] => {
      const resolved =
        typeof value === 'string' && value.startsWith('@')
          ? (references.get(value.slice(1)) ?? value)
          : value;
      return [name.toLowerCase(), resolved ?? null];
    })
    .sort(([a], [b]) => compareCodeUnits(a, b));
  const seed = JSON.stringify([
    object.name,
    source.referenceId ?? null,
    values,
  ]);
  return deterministicId(object.keyPrefix, seed);
}

/** Orders strings by UTF-16 code units, the same way in every locale. */
function compareCodeUnits(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}

/** Returns the record's own Id as 18 characters, or undefined when it has none. */
function givenId(
  source: SourceRecord,
  object: ObjectSchema,
): string | undefined {
  const idValue = Object.entries(source.fields).find(
    ([k]) => k.toLowerCase() === 'id',
  )?.[1];
  if (idValue === undefined || idValue === null || idValue === '') {
    return undefined;
  }
  if (typeof idValue !== 'string' || !isSalesforceId(idValue)) {
    throw new RecordProblem(
      invalidIdReason('Id', idValue, 'fix or remove the Id column'),
    );
  }
  if (!idValue.startsWith(object.keyPrefix)) {
    throw new RecordProblem(
      `Id ${idValue} does not start with ${object.keyPrefix}, the key prefix of ${object.name}; the record belongs to another object`,
    );
  }
  return toId18(idValue);
}
