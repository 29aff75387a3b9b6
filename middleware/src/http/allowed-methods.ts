const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);

interface PathMethods {
  /** The path as the OpenAPI document writes it, such as `/v1/deals/{dealId}`. */
  template: string;
  pattern: RegExp;
  /** Upper-case methods, with HEAD wherever GET is. */
  methods: string[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Builds a lookup of the methods each path accepts, from the `paths` of an
 * OpenAPI document and from `extra` paths the document leaves out. It returns
 * null for a path that no entry matches.
 */
export function pathMethods(
  document: object,
  extra: Record<string, string[]> = {},
): (path: string) => Omit<PathMethods, 'pattern'> | null {
  const paths = (document as { paths?: Record<string, object> }).paths ?? {};
  const documented = Object.entries(paths).map(
    ([template, item]): [string, string[]] => [
      template,
      Object.keys(item).filter((key) => HTTP_METHODS.has(key)),
    ],
  );
  const entries = [...documented, ...Object.entries(extra)].map(
    ([template, methods]): PathMethods => {
      const upper = methods.map((method) => method.toUpperCase());
      if (upper.includes('GET')) upper.push('HEAD');
      const source = template
        .split(/\{[^}]+\}/)
        .map(escapeRegExp)
        .join('[^/]+');
      // Case-insensitive and with an optional trailing slash, as express routes match.
      const pattern = new RegExp(`^${source}/?$`, 'i');
      return { template, pattern, methods: upper };
    },
  );
  return (path) => {
    const entry = entries.find(({ pattern }) => pattern.test(path));
    return entry ? { template: entry.template, methods: entry.methods } : null;
  };
}
