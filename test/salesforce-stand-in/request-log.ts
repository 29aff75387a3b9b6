/** Which API a request used, for counting calls by kind. */
export type ResourceKind =
  | 'oauth'
  | 'versions'
  | 'limits'
  | 'query'
  | 'query-more'
  | 'sobject'
  | 'describe'
  | 'composite'
  | 'collections'
  | 'bulk-query'
  | 'other';

/** One HTTP request the stand-in served. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string, as sent. */
  path: string;
  query: Record<string, string>;
  /** Request body size in bytes. */
  bodySize: number;
  /** Composite subrequests or sObject Collection records in the call; 0 otherwise. */
  subrequestCount: number;
  /** Method and path of each composite subrequest, in order. */
  subrequests: { method: string; path: string }[];
  resource: ResourceKind;
  status: number;
  /** Username of the token's user; null for unauthenticated calls. */
  username: string | null;
  /** Whether the call counts toward `DailyApiRequests`. */
  apiCall: boolean;
  /** The fault injected into this request, if any. */
  fault?: string;
  /** ISO 8601 time the request arrived. */
  time: string;
  durationMs: number;
}

/** The request log, and the count of API calls that `/limits` reports. */
export class RequestLog {
  readonly requests: RecordedRequest[] = [];
  /** API calls since start; `reset()` keeps it, as an org's 24-hour count would. */
  apiCallsUsed = 0;

  add(request: RecordedRequest): void {
    this.requests.push(request);
  }

  reset(): void {
    this.requests.length = 0;
  }
}
