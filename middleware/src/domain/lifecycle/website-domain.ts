/**
 * Website domain extraction for registration conflict checks: "https://WWW.Acme.co.uk:443/about"
 * and "acme.co.uk" both give `acme.co.uk`.
 */

/**
 * Second-level suffixes under which companies register their names, so the
 * registrable domain keeps three labels (`acme.co.uk`, `acme.com.au`).
 */
// NOTE: a short list of common suffixes, not the Public Suffix List; a company under an unlisted multi-part suffix matches only on its full host.
const MULTI_PART_SUFFIXES = new Set([
  'co.uk',
  'org.uk',
  'me.uk',
  'ltd.uk',
  'plc.uk',
  'ac.uk',
  'gov.uk',
  'com.au',
  'net.au',
  'org.au',
  'edu.au',
  'gov.au',
  'co.nz',
  'org.nz',
  'co.jp',
  'ne.jp',
  'or.jp',
  'co.kr',
  'co.in',
  'co.za',
  'co.il',
  'com.br',
  'com.mx',
  'com.ar',
  'com.cn',
  'com.hk',
  'com.sg',
  'com.tr',
  'com.tw',
  'com.my',
  'com.co',
]);

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
 * Returns the registrable domain of a website: the last two labels of its host,
 * or three under a listed suffix such as `co.uk`. An IPv4 address is returned
 * whole. Null when there is no usable host or the host is a bare suffix.
 */
export function websiteDomain(
  website: string | null | undefined,
): string | null {
  const host = websiteHost(website);
  if (host === null) return null;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return host;
  const labels = host.split('.');
  const lastTwo = labels.slice(-2).join('.');
  const keep = MULTI_PART_SUFFIXES.has(lastTwo) ? 3 : 2;
  if (labels.length < keep) return null;
  return labels.slice(-keep).join('.');
}
