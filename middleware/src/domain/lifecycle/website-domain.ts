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
 * Hosting platforms that give each customer a subdomain but are missing from
 * the Public Suffix List in tldts 7.6, so `acme.my.salesforce.com` and
 * `globex.my.salesforce.com` would both reduce to `salesforce.com`. Under these,
 * the tenant's label plus the platform suffix is the domain. Longer suffixes
 * come first, so `my.salesforce.com` wins over a shorter entry that ends it.
 */
// NOTE: a hand-kept list of common platforms; a customer site under another platform missing from the Public Suffix List still matches its neighbours there.
const TENANT_PLATFORM_SUFFIXES = [
  'lightning.force.com',
  'my.salesforce.com',
  'my.site.com',
  'force.com',
  'atlassian.net',
  'freshdesk.com',
  'hubspot.com',
  'sharepoint.com',
  'squarespace.com',
  'wordpress.com',
  'zendesk.com',
];

/**
 * Returns the registrable domain of a website: its public suffix from the
 * Public Suffix List bundled in `tldts`, plus one label. Private suffixes such
 * as `github.io` count as public suffixes, so `kappa.github.io` and
 * `lambda.github.io` stay two domains, and so do two tenants of a platform in
 * `TENANT_PLATFORM_SUFFIXES`. An IPv4 address is returned whole.
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
  const platform = TENANT_PLATFORM_SUFFIXES.find(
    (suffix) => host === suffix || host.endsWith(`.${suffix}`),
  );
  if (platform !== undefined) {
    if (host === platform) return null;
    const tenant = host
      .slice(0, -platform.length - 1)
      .split('.')
      .pop()!;
    return `${tenant}.${platform}`;
  }
  // NOTE: the suffix list is the copy in the installed tldts version, so suffixes added to the Public Suffix List later are missing until tldts is updated.
  return getDomain(host, { allowPrivateDomains: true });
}
