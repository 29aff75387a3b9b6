/**
 * Website domain extraction for registration conflict checks: "https://WWW.Acme.co.uk:443/about"
 * and "acme.co.uk" both give `acme.co.uk`.
 */
import { getDomain } from 'tldts';

/**
 * Returns the host of a website address in lower case (international names in
 * their ASCII form), without scheme, `www.` prefix, port, path or trailing dot.
 * Returns null when the text is blank or not a host name.
 */
export function websiteHost(website: string | null | undefined): string | null {
  const text = website?.trim() ?? '';
  if (text === '') return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text)
    ? text
    : `http://${text}`;
  let host: string;
  try {
    host = new URL(withScheme).hostname;
  } catch {
    return null;
  }
  host = host.replace(/\.$/, '').replace(/^www\d*\./, '');
  if (!host.includes('.') || host.startsWith('[')) return null;
  return host;
}

/**
 * Returns the registrable domain of a website: its public suffix from the
 * Public Suffix List bundled in `tldts`, plus one label. Private suffixes such
 * as `github.io` count as public suffixes, so `kappa.github.io` and
 * `lambda.github.io` stay two domains. An IPv4 address is returned whole.
 * Returns null when there is no usable host or the host is a bare suffix such
 * as `co.uk` or `github.io`. Returns null too when tldts rejects the host name:
 * an empty label, a label over 63 characters, or one that starts or ends with a
 * hyphen.
 */
export function websiteDomain(
  website: string | null | undefined,
): string | null {
  const host = websiteHost(website);
  if (host === null) return null;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return host;
  // NOTE: the suffix list is the copy in the installed tldts version, so suffixes added to the Public Suffix List later are missing until tldts is updated.
  return getDomain(host, { allowPrivateDomains: true });
}
