/** One response a later composite subrequest can refer to with `@{referenceId.path}`. */
export interface ReferenceTarget {
  status: number;
  body: unknown;
}

const REFERENCE = /@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}/g;

/** A reference that names no earlier successful subrequest, or a path with no value. */
export class UnresolvedReference extends Error {
  constructor(
    readonly expression: string,
    readonly referenceId: string,
  ) {
    super(
      `Invalid reference specified. No value for ${expression} found in ${referenceId}. Provided referenceId ('${referenceId}') is not valid.`,
    );
    this.name = 'UnresolvedReference';
  }
}

function lookup(
  targets: ReadonlyMap<string, ReferenceTarget>,
  referenceId: string,
  path: string,
): unknown {
  const expression = `${referenceId}${path}`;
  const target = targets.get(referenceId);
  if (!target || target.status >= 400) {
    throw new UnresolvedReference(expression, referenceId);
  }
  let value: unknown = target.body;
  for (const [, name, index] of path.matchAll(/\.([A-Za-z0-9_]+)|\[(\d+)\]/g)) {
    if (value === null || typeof value !== 'object') {
      value = undefined;
      break;
    }
    value = (value as Record<string, unknown>)[name ?? (index as string)];
  }
  if (value === undefined || value === null || typeof value === 'object') {
    throw new UnresolvedReference(expression, referenceId);
  }
  return value;
}

/** Replaces every `@{...}` in a URL with the referenced value. */
export function resolveInText(
  text: string,
  targets: ReadonlyMap<string, ReferenceTarget>,
): string {
  return text.replace(REFERENCE, (_whole, id: string, path: string) =>
    String(lookup(targets, id, path)),
  );
}

/**
 * Replaces references inside a JSON body's string values. A string that is
 * exactly one reference takes the referenced value with its JSON type.
 */
export function resolveInBody(
  body: unknown,
  targets: ReadonlyMap<string, ReferenceTarget>,
): unknown {
  if (typeof body === 'string') {
    const whole = /^@\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+|\[\d+\])*)\}$/.exec(
      body,
    );
    if (whole) return lookup(targets, whole[1] as string, whole[2] ?? '');
    return resolveInText(body, targets);
  }
  if (Array.isArray(body))
    return body.map((item) => resolveInBody(item, targets));
  if (body !== null && typeof body === 'object') {
    return Object.fromEntries(
      Object.entries(body).map(([key, value]) => [
        key,
        resolveInBody(value, targets),
      ]),
    );
  }
  return body;
}
