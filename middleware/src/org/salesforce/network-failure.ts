/** Plain words for the socket, DNS and TLS error codes a start meets most. */
const CODE_TEXT: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused, so nothing listens on that port',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name was not found in DNS',
  EAI_AGAIN: 'the DNS lookup failed for now',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  EHOSTUNREACH: 'there is no route to the host',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_SOCKET: 'the connection closed before the response',
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN:
    "the server's TLS certificate chain has a self-signed certificate",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    "the server's TLS certificate cannot be verified",
  ERR_TLS_CERT_ALTNAME_INVALID:
    "the server's TLS certificate does not name this host",
};

/**
 * Describes why an HTTP call failed below HTTP: "timed out after 30000 ms, …", or the
 * error code with plain words, such as "ECONNREFUSED: the connection was refused,
 * ...". Node's fetch throws `TypeError: fetch failed` with the socket error as its
 * `cause`, sometimes an `AggregateError` of one error per address, and jsforce
 * puts the code on the error itself, so the cause chain is searched for a code.
 */
export function describeNetworkFailure(
  error: unknown,
  timeoutMs: number,
): string {
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current.name === 'TimeoutError' || current.name === 'AbortError') {
      return `timed out after ${timeoutMs} ms, the COSELL_SF_TIMEOUT_MS limit`;
    }
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') {
      return `${code}: ${CODE_TEXT[code] ?? current.message}`;
    }
    message = current.message;
    current =
      current instanceof AggregateError && current.errors.length > 0
        ? current.errors[0]
        : current.cause;
  }
  // undici rejects the ports that the Fetch standard lists as unsafe, such as 9.
  if (message === 'bad port') {
    return 'bad port: fetch rejects this port, which the Fetch standard blocks as unsafe';
  }
  return message;
}
