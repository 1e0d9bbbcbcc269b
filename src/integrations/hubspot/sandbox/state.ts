import {
  DEFAULT_DEAL_STAGES,
  SANDBOX_OBJECT_TYPES,
  type SandboxObjectType,
  STANDARD_GROUPS,
  STANDARD_PROPERTIES,
  type StageSeed,
} from './catalog.js';

/**
 * The fake HubSpot's in-memory state: one PortalState per portal (records, associations, pipelines, property
 * definitions, owners) and the app's OAuth codes and tokens. Plain data, so tests can look inside.
 */

export interface SandboxRecord {
  id: string;
  /** As HubSpot stores values: strings; '' is a cleared value. */
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface SandboxPropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
}

export interface SandboxProperty {
  name: string;
  label: string;
  description: string;
  groupName: string;
  type: string;
  fieldType: string;
  options: SandboxPropertyOption[];
  formField: boolean;
  hubspotDefined: boolean;
  readOnly: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface SandboxGroup {
  name: string;
  label: string;
  displayOrder: number;
}

export interface SandboxStage {
  id: string;
  label: string;
  displayOrder: number;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface SandboxPipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: SandboxStage[];
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

export interface SandboxOwner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
}

export interface PortalState {
  portalId: number;
  records: Record<SandboxObjectType, Map<string, SandboxRecord>>;
  /** `${fromType}:${fromId}:${toType}` → toId → association type ids. Both directions are stored. */
  associations: Map<string, Map<string, number[]>>;
  properties: Record<SandboxObjectType, Map<string, SandboxProperty>>;
  groups: Record<SandboxObjectType, Map<string, SandboxGroup>>;
  pipelines: SandboxPipeline[];
  owners: Map<string, SandboxOwner>;
  /** When recent requests arrived (ms), for the rate limit. */
  requestTimes: number[];
}

export interface AccessTokenGrant {
  portalId: number;
  /** null: every scope (the token tests seed by default). */
  scopes: string[] | null;
  /** ms since 1970; null: never expires. */
  expiresAt: number | null;
  userId: number;
}

export interface RefreshTokenGrant {
  portalId: number;
  scopes: string[];
  userId: number;
}

export interface AuthCodeGrant extends RefreshTokenGrant {
  redirectUri: string;
  used: boolean;
}

export interface SandboxApp {
  appId: number;
  clientId: string;
  clientSecret: string;
}

export interface SandboxState {
  app: SandboxApp;
  portals: Map<number, PortalState>;
  accessTokens: Map<string, AccessTokenGrant>;
  refreshTokens: Map<string, RefreshTokenGrant>;
  authCodes: Map<string, AuthCodeGrant>;
}

/** The key of one record's associations to one object type. @example associationKey('deals', '1001', 'companies') // 'deals:1001:companies' */
export function associationKey(from: SandboxObjectType, fromId: string, to: SandboxObjectType): string {
  return `${from}:${fromId}:${to}`;
}

function standardProperties(type: SandboxObjectType, at: string): Map<string, SandboxProperty> {
  return new Map(
    STANDARD_PROPERTIES[type].map((s) => [
      s.name,
      {
        name: s.name,
        label: s.label,
        description: '',
        groupName: STANDARD_GROUPS[type],
        type: s.type,
        fieldType: s.fieldType,
        options: (s.options ?? []).map((value, displayOrder) => ({ label: value, value, displayOrder, hidden: false })),
        formField: !s.readOnly,
        hubspotDefined: true,
        readOnly: s.readOnly ?? false,
        createdAt: at,
        updatedAt: at,
      },
    ]),
  );
}

/**
 * A pipeline as HubSpot returns it: stage metadata are strings (`isClosed`, `probability` such as '1.0').
 * @example makePipeline('renewals', 'Renewals', 1, [{ id: 'won', label: 'Won', probability: 1, isClosed: true }], at)
 */
export function makePipeline(
  id: string,
  label: string,
  displayOrder: number,
  stages: ReadonlyArray<StageSeed>,
  at: string,
): SandboxPipeline {
  return {
    id,
    label,
    displayOrder,
    createdAt: at,
    updatedAt: at,
    archived: false,
    stages: stages.map((s, i) => ({
      id: s.id,
      label: s.label,
      displayOrder: i,
      metadata: { isClosed: s.isClosed ? 'true' : 'false', probability: s.probability.toFixed(1) },
      createdAt: at,
      updatedAt: at,
      archived: false,
    })),
  };
}

/**
 * A new portal as HubSpot creates it: standard properties and groups, the default sales pipeline, no records.
 * @example makePortal(62515, new Date().toISOString()).pipelines[0].id // 'default'
 */
export function makePortal(portalId: number, at: string): PortalState {
  const perType = <T>(make: (type: SandboxObjectType) => T) =>
    Object.fromEntries(SANDBOX_OBJECT_TYPES.map((t) => [t, make(t)])) as Record<SandboxObjectType, T>;
  return {
    portalId,
    records: perType(() => new Map<string, SandboxRecord>()),
    associations: new Map(),
    properties: perType((t) => standardProperties(t, at)),
    groups: perType(
      (t) => new Map([[STANDARD_GROUPS[t], { name: STANDARD_GROUPS[t], label: STANDARD_GROUPS[t], displayOrder: 0 }]]),
    ),
    pipelines: [makePipeline('default', 'Sales Pipeline', 0, DEFAULT_DEAL_STAGES, at)],
    owners: new Map(),
    requestTimes: [],
  };
}
