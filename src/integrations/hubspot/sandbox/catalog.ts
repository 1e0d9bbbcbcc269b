/**
 * What every fake portal starts with, as HubSpot ships it: the standard properties the app touches, the default
 * deal pipeline, the HubSpot-defined association types, and which OAuth scopes each endpoint accepts (transcribed
 * from the operations' `security` in HubSpot's OpenAPI specs; the contract test checks the transcription).
 */

export type SandboxObjectType = 'deals' | 'companies' | 'contacts' | 'line_items' | 'notes' | 'tasks';

export const SANDBOX_OBJECT_TYPES: ReadonlyArray<SandboxObjectType> = [
  'deals',
  'companies',
  'contacts',
  'line_items',
  'notes',
  'tasks',
];

/** Every spelling HubSpot accepts in a path for an object type: plural, singular, object type id. */
const ALIASES: Record<string, SandboxObjectType> = {
  deals: 'deals',
  deal: 'deals',
  '0-3': 'deals',
  companies: 'companies',
  company: 'companies',
  '0-2': 'companies',
  contacts: 'contacts',
  contact: 'contacts',
  '0-1': 'contacts',
  line_items: 'line_items',
  line_item: 'line_items',
  '0-8': 'line_items',
  notes: 'notes',
  note: 'notes',
  '0-46': 'notes',
  tasks: 'tasks',
  task: 'tasks',
  '0-27': 'tasks',
};

/**
 * The object type a path segment names, or undefined.
 * @example objectTypeOf('0-3') // 'deals'
 */
export function objectTypeOf(segment: string): SandboxObjectType | undefined {
  return ALIASES[segment.toLowerCase()];
}

export interface StandardProperty {
  name: string;
  label: string;
  type: 'string' | 'number' | 'date' | 'datetime' | 'enumeration' | 'bool';
  fieldType: string;
  options?: ReadonlyArray<string>;
  /** HubSpot computes these; writes are refused. */
  readOnly?: boolean;
}

const p = (
  name: string,
  type: StandardProperty['type'] = 'string',
  fieldType = type === 'number' ? 'number' : type === 'date' || type === 'datetime' ? 'date' : 'text',
  extra: Partial<StandardProperty> = {},
): StandardProperty => ({ name, label: name, type, fieldType, ...extra });

const COMMON = [
  p('hs_object_id', 'number', 'number', { readOnly: true }),
  p('createdate', 'datetime', 'date', { readOnly: true }),
  p('hs_lastmodifieddate', 'datetime', 'date', { readOnly: true }),
  p('hubspot_owner_id', 'enumeration', 'select'),
];

export const STANDARD_PROPERTIES: Record<SandboxObjectType, ReadonlyArray<StandardProperty>> = {
  deals: [
    ...COMMON,
    p('dealname'),
    p('amount', 'number'),
    p('closedate', 'datetime'),
    p('pipeline', 'enumeration', 'select'),
    p('dealstage', 'enumeration', 'select'),
    p('deal_currency_code', 'enumeration', 'select'),
    p('description', 'string', 'textarea'),
  ],
  companies: [
    ...COMMON,
    p('name'),
    p('domain'),
    p('address'),
    p('address2'),
    p('city'),
    p('state'),
    p('zip'),
    p('country'),
    p('phone'),
  ],
  contacts: [...COMMON, p('email'), p('firstname'), p('lastname'), p('phone'), p('company'), p('jobtitle')],
  line_items: [
    ...COMMON,
    p('name'),
    p('quantity', 'number'),
    p('price', 'number'),
    p('amount', 'number'),
    p('hs_product_id'),
    p('recurringbillingfrequency', 'enumeration', 'select', {
      options: ['weekly', 'biweekly', 'monthly', 'quarterly', 'per_six_months', 'annually'],
    }),
    p('hs_recurring_billing_start_date', 'date'),
    p('hs_recurring_billing_period'),
  ],
  notes: [...COMMON, p('hs_note_body', 'string', 'html'), p('hs_timestamp', 'datetime')],
  tasks: [
    ...COMMON,
    p('hs_task_subject'),
    p('hs_task_body', 'string', 'html'),
    p('hs_timestamp', 'datetime'),
    p('hs_task_status', 'enumeration', 'select', {
      options: ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'],
    }),
    p('hs_task_priority', 'enumeration', 'select', { options: ['NONE', 'LOW', 'MEDIUM', 'HIGH'] }),
    p('hs_task_type', 'enumeration', 'select', { options: ['TODO', 'CALL', 'EMAIL', 'LINKED_IN', 'MEETING'] }),
  ],
};

/** HubSpot's standard property groups per object (our own group is created by the app). */
export const STANDARD_GROUPS: Record<SandboxObjectType, string> = {
  deals: 'dealinformation',
  companies: 'companyinformation',
  contacts: 'contactinformation',
  line_items: 'lineiteminformation',
  notes: 'engagement',
  tasks: 'task',
};

export interface StageSeed {
  id: string;
  label: string;
  probability: number;
  isClosed?: boolean;
}

/** HubSpot's default sales pipeline: two closed stages, the won one at probability 1.0. */
export const DEFAULT_DEAL_STAGES: ReadonlyArray<StageSeed> = [
  { id: 'appointmentscheduled', label: 'Appointment Scheduled', probability: 0.2 },
  { id: 'qualifiedtobuy', label: 'Qualified To Buy', probability: 0.4 },
  { id: 'presentationscheduled', label: 'Presentation Scheduled', probability: 0.6 },
  { id: 'decisionmakerboughtin', label: 'Decision Maker Bought-In', probability: 0.8 },
  { id: 'contractsent', label: 'Contract Sent', probability: 0.9 },
  { id: 'closedwon', label: 'Closed Won', probability: 1, isClosed: true },
  { id: 'closedlost', label: 'Closed Lost', probability: 0, isClosed: true },
];

/**
 * HubSpot-defined association type ids (the SDK's AssociationTypes): [from, to] → [forward id, reverse id].
 * Deal↔company and company↔contact use the unlabeled types, which every pair has.
 */
const PAIRS: ReadonlyArray<[SandboxObjectType, SandboxObjectType, number, number]> = [
  ['deals', 'companies', 341, 342],
  ['deals', 'contacts', 3, 4],
  ['deals', 'line_items', 19, 20],
  ['companies', 'contacts', 280, 279],
  ['notes', 'deals', 214, 213],
  ['notes', 'companies', 190, 189],
  ['notes', 'contacts', 202, 201],
  ['tasks', 'deals', 216, 215],
  ['tasks', 'companies', 192, 191],
  ['tasks', 'contacts', 204, 203],
];

/**
 * The default association type id from one object type to another, or undefined when HubSpot has none.
 * @example associationTypeId('notes', 'deals') // 214
 */
export function associationTypeId(from: SandboxObjectType, to: SandboxObjectType): number | undefined {
  for (const [a, b, forward, reverse] of PAIRS) {
    if (a === from && b === to) return forward;
    if (a === to && b === from) return reverse;
  }
  return undefined;
}

/**
 * The object type an association type id from `from` points to (to check a note's `associations`).
 * @example associationTarget('notes', 214) // 'deals'
 */
export function associationTarget(from: SandboxObjectType, typeId: number): SandboxObjectType | undefined {
  for (const [a, b, forward, reverse] of PAIRS) {
    if (a === from && forward === typeId) return b;
    if (b === from && reverse === typeId) return a;
  }
  return undefined;
}

export type SandboxOperation =
  | 'objects.batchRead'
  | 'objects.batchUpdate'
  | 'objects.update'
  | 'objects.create'
  | 'associations.batchRead'
  | 'pipelines.list'
  | 'properties.list'
  | 'properties.create'
  | 'groups.read'
  | 'groups.create';

const READ: Partial<Record<SandboxObjectType, string[]>> = {
  deals: ['crm.objects.deals.read'],
  companies: ['crm.objects.companies.read'],
  contacts: ['crm.objects.contacts.read'],
  line_items: ['crm.objects.line_items.read', 'e-commerce'],
};

const WRITE: Partial<Record<SandboxObjectType, string[]>> = {
  deals: ['crm.objects.deals.write'],
  companies: ['crm.objects.companies.write'],
  contacts: ['crm.objects.contacts.write'],
  line_items: ['crm.objects.line_items.write', 'e-commerce'],
  // HubSpot's notes and tasks endpoints list this one scope.
  notes: ['crm.objects.contacts.write'],
  tasks: ['crm.objects.contacts.write'],
};

function schemaScopes(type: SandboxObjectType, access: 'read' | 'write'): string[] {
  if (type === 'notes' || type === 'tasks') return [];
  // HubSpot has no crm.schemas.line_items.write: line item properties are created under `e-commerce`.
  if (type === 'line_items' && access === 'write') return ['e-commerce'];
  return [`crm.schemas.${type}.${access}`];
}

/**
 * Scopes any one of which lets a token call an operation on an object type (the spec's `security` is an any-of).
 * @example acceptedScopes('properties.create', 'deals') // ['crm.schemas.deals.write']
 */
export function acceptedScopes(operation: SandboxOperation, type: SandboxObjectType, toType?: SandboxObjectType) {
  switch (operation) {
    case 'objects.batchRead':
      return READ[type] ?? [];
    case 'objects.batchUpdate':
    case 'objects.update':
    case 'objects.create':
      return WRITE[type] ?? [];
    case 'associations.batchRead':
      return [...new Set([...(READ[type] ?? []), ...(toType ? (READ[toType] ?? []) : [])])];
    case 'pipelines.list':
    case 'properties.list':
    case 'groups.read':
      return [...(READ[type] ?? []), ...(WRITE[type] ?? []), ...schemaScopes(type, 'read')];
    case 'properties.create':
    case 'groups.create':
      return schemaScopes(type, 'write');
  }
}
