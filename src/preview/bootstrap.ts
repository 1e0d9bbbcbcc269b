/**
 * What the preview page hands its browser code (a JSON script tag, read before anything renders). Shared by the
 * server that writes it and the browser bundle that reads it; plain data, no imports.
 */

/** The ui-extensions release the fake worker host in client/extension-host.ts was written and checked against. */
export const PINNED_UI_EXTENSIONS_VERSION = '0.17.0';

/** The id of the `<script type="application/json">` element holding the bootstrap. */
export const BOOTSTRAP_ELEMENT_ID = 'rh-preview-bootstrap';

/** The header the browser's hsFetch names the demo person in; the signing proxy turns it into the signed query. */
export const PREVIEW_USER_HEADER = 'x-rh-preview-user';

/** Where the browser's hsFetch sends a card's `POST {BACKEND_URL}/api/<name>`: the demo-only signing proxy. */
export const PREVIEW_API_PREFIX = '/preview/api/';

export interface PreviewPerson {
  /** The switcher's key (`rep`, `csm`, …) and HubSpot user id. */
  key: string;
  id: string;
  name: string;
  email: string;
  roleLabel: string;
}

export interface PreviewProperty {
  label: string;
  value: string;
}

/** The record a CRM card sits on, as the record page's left column shows it. */
export interface PreviewRecord {
  objectType: 'deal' | 'company';
  objectTypeId: '0-3' | '0-2';
  id: string;
  name: string;
  properties: PreviewProperty[];
  /** Associated records, linked to their own preview. */
  associations: Array<{ label: string; name: string; href: string }>;
}

export type PreviewPage =
  | { kind: 'deal'; record: PreviewRecord }
  | { kind: 'company'; record: PreviewRecord }
  | { kind: 'settings' }
  | { kind: 'home' };

export interface PreviewBootstrap {
  page: PreviewPage;
  portal: { id: number; timeZone: string };
  appId: string;
  appName: string;
  people: PreviewPerson[];
  /** The key of the person the page is viewed as. */
  as: string;
}
