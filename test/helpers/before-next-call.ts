/**
 * Replaces `target[name]` so that its next call first runs `rival` to
 * completion, then runs as before. A use case that read the store and then
 * writes through `name` then finds the rival's write between its read and its
 * write, as when two processes race. Calls made while the rival runs go
 * through unchanged. Returns a function that restores the method.
 */
export function beforeNextCall<T extends object>(
  target: T,
  name: keyof T & string,
  rival: () => Promise<unknown>,
): () => void {
  const methods = target as unknown as Record<
    string,
    (...args: unknown[]) => Promise<unknown>
  >;
  const original = methods[name]!;
  let armed = true;
  methods[name] = async function (this: unknown, ...args: unknown[]) {
    if (armed) {
      armed = false;
      await rival();
    }
    return original.apply(target, args);
  };
  return () => {
    methods[name] = original;
  };
}
