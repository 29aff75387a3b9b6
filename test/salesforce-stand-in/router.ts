import { notFound, SalesforceApiError, type ApiResponse } from './api-error.js';
import { MultipleMatchesError } from './dml.js';
import type { ActiveFault } from './faults.js';
import type { ResourceKind } from './request-log.js';
import type { StandInState } from './state.js';
import type { StandInUser } from './users.js';

/** One call to the data API (`/services/data/vXX.X/...`), top-level or inside a composite. */
export interface ApiCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  headers: Record<string, string | undefined>;
  user: StandInUser;
  /** The version named in the URL, such as `62.0`. */
  apiVersion: string;
  /** Path segments after `/services/data/vXX.X/`. */
  segments: string[];
  subrequest: boolean;
  /** A `partial` fault to apply to this composite or collection call. */
  fault?: ActiveFault;
  /** Set inside a composite call with allOrNone, which overrides a collection's own flag. */
  outerAllOrNone?: boolean;
}

export type Handler = (
  state: StandInState,
  call: ApiCall,
  params: Record<string, string>,
) => ApiResponse;

interface Route {
  method: string;
  pattern: string[];
  resource: ResourceKind;
  handler: Handler;
}

/** Routes by method and path segments; `:name` matches one segment. */
export class Router {
  private readonly routes: Route[] = [];

  add(
    method: string,
    pattern: string,
    resource: ResourceKind,
    handler: Handler,
  ): void {
    this.routes.push({
      method,
      pattern: pattern.split('/').filter(Boolean),
      resource,
      handler,
    });
  }

  /** The route for a call, with its parameters; the first route added wins. */
  match(
    method: string,
    segments: string[],
  ): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method || route.pattern.length !== segments.length) {
        continue;
      }
      const params: Record<string, string> = {};
      const fits = route.pattern.every((part, index) => {
        const segment = segments[index] as string;
        if (part.startsWith(':')) {
          params[part.slice(1)] = decodeURIComponent(segment);
          return true;
        }
        return part === segment;
      });
      if (fits) return { route, params };
    }
    return undefined;
  }

  resourceOf(method: string, segments: string[]): ResourceKind {
    return this.match(method, segments)?.route.resource ?? 'other';
  }

  /**
   * Runs the call's handler and turns any thrown error into Salesforce's response.
   * Handlers are synchronous, so a call's reads and writes never interleave with
   * another call's, and a composite call is isolated like a transaction.
   */
  dispatch(state: StandInState, call: ApiCall): ApiResponse {
    const found = this.match(call.method, call.segments);
    try {
      if (!found) throw notFound();
      return found.route.handler(state, call, found.params);
    } catch (error) {
      return errorResponse(state, call, error);
    }
  }
}

/** The response for an error a handler threw; unexpected errors become 500 and are logged. */
export function errorResponse(
  state: StandInState,
  call: { method: string; path: string },
  error: unknown,
): ApiResponse {
  if (error instanceof MultipleMatchesError) {
    return { status: 300, body: error.urls };
  }
  if (error instanceof SalesforceApiError) {
    return { status: error.status, body: error.toBody() };
  }
  const errorId = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  state.logger.error(
    { err: error, method: call.method, path: call.path, errorId },
    'stand-in handler failed',
  );
  return {
    status: 500,
    body: [
      {
        errorCode: 'UNKNOWN_EXCEPTION',
        message: `An unexpected error occurred. Please include this ErrorId if you contact support: ${errorId}`,
      },
    ],
  };
}

/** Splits `/services/data/v62.0/sobjects/Account` into its version and the segments after it. */
export function parseDataPath(
  path: string,
): { apiVersion: string; segments: string[] } | undefined {
  const match = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(path);
  if (!match) return undefined;
  return {
    apiVersion: match[1] as string,
    segments: (match[2] ?? '').split('/').filter(Boolean),
  };
}
