import type {
  OrgUser,
  Side,
  StageRequest,
  StageTransition,
} from '../domain/cosell.js';
import type { CriterionResult } from '../domain/evaluation.js';
import type { RecordData } from '../domain/records.js';
import type { DealRole } from '../domain/sides.js';
import type { LoadedModel, LoadedStage } from '../domain/stage-model.js';
import { waitingFor } from '../domain/stage-requests.js';
import { requesterIsOnSide } from './load-deal.js';
import type { LoadedDeal } from './load-deal.js';
import { isHiddenPath, redactResults } from './redaction.js';

export interface StageView {
  value: string;
  label: string;
  order: number;
  /** Null for a partner user when the model lists `Probability` as vendor-only. */
  probability: number | null;
  /** Null for a partner user when the model lists `ForecastCategoryName` as vendor-only. */
  forecastCategory: string | null;
  closed: boolean;
  won: boolean;
  stallDays: number | null;
}

export interface UserRef {
  id: string;
  name: string | null;
  side: Side | null;
}

export interface StageRequestView {
  id: string;
  name: string | null;
  dealId: string;
  fromStage: string | null;
  toStage: string;
  kind: string;
  status: string;
  requestedBy: UserRef;
  requestingSide: Side;
  respondedBy: UserRef | null;
  respondedAt: string | null;
  /** The requester's reason. */
  reason: string | null;
  /** The reason of the rejection, withdrawal, expiry or Close Lost override. */
  responseReason: string | null;
  expiresAt: string;
  createdAt: string;
  waitingFor: Side | null;
  unmet: CriterionResult[];
}

export interface TransitionView {
  id: string;
  name: string | null;
  dealId: string;
  fromStage: string | null;
  toStage: string;
  requestId: string | null;
  requestedBy: UserRef;
  confirmedBy: UserRef;
  at: string;
  oneSided: boolean;
  version: number;
  evidence: CriterionResult[];
  attribution: unknown;
}

/**
 * Returns `stage` as a viewer on `side` may see it. Off the vendor side, the
 * probability and forecast category are null when `model` lists `Probability` or
 * `ForecastCategoryName` as vendor-only, because the vendor's pipeline report
 * forecasts with them.
 */
export function withoutHiddenStageSettings<
  S extends { probability: number; forecastCategory: string },
>(
  stage: S,
  model: Pick<LoadedModel, 'vendorOnlyFields'> | undefined,
  side: Side | null,
): Omit<S, 'probability' | 'forecastCategory'> & {
  probability: number | null;
  forecastCategory: S['forecastCategory'] | null;
} {
  const hidden = side === 'Vendor' ? [] : (model?.vendorOnlyFields ?? []);
  return {
    ...stage,
    probability: hidden.includes('Probability') ? null : stage.probability,
    forecastCategory: hidden.includes('ForecastCategoryName')
      ? null
      : stage.forecastCategory,
  };
}

/**
 * Builds a stage's view, as `viewer` may see it (see
 * `withoutHiddenStageSettings`). Without a viewer, every setting shows.
 */
export function stageView(
  stage: LoadedStage,
  viewer?: { model: LoadedModel; role: Pick<DealRole, 'side'> },
): StageView {
  const view = {
    value: stage.value,
    label: stage.label,
    order: stage.order,
    probability: stage.probability,
    forecastCategory: stage.forecastCategory,
    closed: stage.closed,
    won: stage.won,
    stallDays: stage.stallDays,
  };
  return viewer
    ? withoutHiddenStageSettings(view, viewer.model, viewer.role.side)
    : view;
}

export type UserNames = ReadonlyMap<string, OrgUser>;

function userRef(id: string, side: Side | null, users: UserNames): UserRef {
  return { id, name: users.get(id)?.name ?? null, side };
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/**
 * Returns the side a user acts for, which follows from the user type: internal
 * (Standard) users act only for the vendor side, partner users only for the
 * partner side.
 */
export function sideOfUser(user: OrgUser): Side {
  return user.userType === 'Standard' ? 'Vendor' : 'Partner';
}

/**
 * Returns the side of the user who responded to, withdrew or overrode
 * `request`, or null for a withdrawal by a user missing from `users`.
 */
function responderSide(request: StageRequest, users: UserNames): Side | null {
  if (request.status === 'Withdrawn') {
    // Either side may withdraw a request whose requester left the requesting
    // side, so only the requester's own withdrawal shows the side without a
    // user read.
    if (request.respondedById === request.requestedById) {
      return request.requestingSide;
    }
    const responder = users.get(request.respondedById ?? '');
    return responder ? sideOfUser(responder) : null;
  }
  // Only a channel manager's override responds to an expired request, and
  // channel managers act for the vendor side.
  if (request.status === 'Expired') return 'Vendor';
  return request.requestingSide === 'Vendor' ? 'Partner' : 'Vendor';
}

/**
 * Builds a request's view. Pass `requesterOnSide` false when the requester has
 * left the requesting side, so the view waits for no side.
 */
export function requestView(
  request: StageRequest,
  users: UserNames = new Map(),
  requesterOnSide = true,
): StageRequestView {
  const snapshot = parseJson<CriterionResult[]>(request.evaluationSnapshot, []);
  return {
    id: request.id,
    name: request.name,
    dealId: request.dealId,
    fromStage: request.fromStage,
    toStage: request.toStage,
    kind: request.kind,
    status: request.status,
    requestedBy: userRef(request.requestedById, request.requestingSide, users),
    requestingSide: request.requestingSide,
    respondedBy: request.respondedById
      ? userRef(request.respondedById, responderSide(request, users), users)
      : null,
    respondedAt: request.respondedAt,
    reason: request.reason,
    responseReason: request.responseReason,
    expiresAt: request.expiresAt,
    createdAt: request.createdAt,
    waitingFor: waitingFor(request, requesterOnSide),
    unmet: Array.isArray(snapshot) ? snapshot.filter((r) => !r.met) : [],
  };
}

/**
 * Builds a transition's view. A side in `sides` takes precedence over the one read
 * from the user's type in `users`, so a caller that knows the sides needs no user
 * read.
 */
export function transitionView(
  transition: StageTransition,
  users: UserNames = new Map(),
  sides: { requestedBy?: Side | null; confirmedBy?: Side | null } = {},
): TransitionView {
  const requester = users.get(transition.requestedById);
  const confirmer = users.get(transition.confirmedById);
  const sideOf = (user: OrgUser | undefined): Side | null =>
    user ? sideOfUser(user) : null;
  return {
    id: transition.id,
    name: transition.name,
    dealId: transition.dealId,
    fromStage: transition.fromStage,
    toStage: transition.toStage,
    requestId: transition.requestId,
    requestedBy: userRef(
      transition.requestedById,
      sides.requestedBy ?? sideOf(requester),
      users,
    ),
    confirmedBy: userRef(
      transition.confirmedById,
      sides.confirmedBy ?? sideOf(confirmer),
      users,
    ),
    at: transition.at,
    oneSided: transition.oneSided,
    version: transition.version,
    evidence: parseJson<CriterionResult[]>(transition.evidenceSnapshot, []),
    attribution: parseJson<unknown>(transition.attributionSnapshot, null),
  };
}

/**
 * Builds a request's view for the acting user of `loaded`, with the unmet evidence
 * redacted for a partner user. `otherUsers` are users the caller has read, such
 * as the responder of a withdrawn request.
 */
export function viewerRequestView(
  loaded: LoadedDeal,
  request: StageRequest,
  otherUsers: readonly OrgUser[] = [],
): StageRequestView {
  // NOTE: only the acting user's and `otherUsers`' names are filled. Other users'
  // names would need a getUsers read on every request and confirm call, so of the
  // HTTP responses only GET /v1/deals/{dealId}/transitions reads them all.
  const names = new Map([[loaded.user.id, loaded.user]]);
  for (const user of otherUsers) names.set(user.id, user);
  const view = requestView(request, names, requesterIsOnSide(loaded, request));
  view.unmet = redactResults(view.unmet, loaded.model, loaded.role);
  return view;
}

/**
 * Removes the fields a partner user must never receive, by the rule of
 * `isHiddenPath` that evidence redaction uses too.
 */
export function visibleFields(
  deal: RecordData,
  model: LoadedModel,
  role: DealRole,
): Record<string, unknown> {
  const hidden = new Set(role.side === 'Vendor' ? [] : model.vendorOnlyFields);
  const fields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(deal)) {
    if (
      isHiddenPath(name, hidden) ||
      Array.isArray(value) ||
      name === 'attributes'
    ) {
      continue;
    }
    if (value !== null && typeof value === 'object') {
      const nested = Object.fromEntries(
        Object.entries(value).filter(
          ([field]) =>
            !isHiddenPath(`${name}.${field}`, hidden) && field !== 'attributes',
        ),
      );
      fields[name] = nested;
      continue;
    }
    fields[name] = value;
  }
  return fields;
}

/**
 * Returns whether the view of `request` needs its responder read from the org:
 * a withdrawal by a user other than the requester and the acting user, whose
 * side the request does not record.
 */
export function needsResponderRead(
  loaded: LoadedDeal,
  request: StageRequest,
): boolean {
  return (
    request.status === 'Withdrawn' &&
    request.respondedById !== null &&
    request.respondedById !== request.requestedById &&
    request.respondedById !== loaded.user.id
  );
}
