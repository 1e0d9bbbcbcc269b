/**
 * The preview page's browser entry: reads the bootstrap, installs HubSpot's worker globals (before any card module
 * is imported), draws the page and mounts the REAL card entry modules (cards/<name>/index.tsx) into it.
 */
import './preview.css';
import { useCallback, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BACKEND_URL } from '../../../cards/shared/backend-url.js';
import {
  BOOTSTRAP_ELEMENT_ID,
  PREVIEW_API_PREFIX,
  PREVIEW_USER_HEADER,
  type PreviewBootstrap,
  type PreviewPerson,
} from '../bootstrap.js';
import { Chrome, type SlotName, type Toast } from './chrome.js';
import { COMPONENTS, reactions, unmappedComponent } from './components.js';
import {
  type ExtensionApi,
  type HsFetch,
  installWorkerGlobals,
  loadExtension,
  mountExtension,
} from './extension-host.js';

const bootElement = document.getElementById(BOOTSTRAP_ELEMENT_ID);
if (!bootElement?.textContent) throw new Error('The preview page has no bootstrap data');
const boot = JSON.parse(bootElement.textContent) as PreviewBootstrap;
const person: PreviewPerson = boot.people.find((p) => p.key === boot.as) ?? (boot.people[0] as PreviewPerson);

/**
 * `hubspot.fetch` as HubSpot runs it: only the app's permitted backend origin, the object body sent as JSON, a
 * timeout. The request goes to this demo server's signing proxy, which adds portalId/userId/userEmail and the v3
 * signature exactly as HubSpot would and forwards it to POST /api/<name>.
 */
const hsFetch: HsFetch = async (url, options = {}) => {
  const target = new URL(url);
  const backend = new URL(BACKEND_URL);
  if (target.origin !== backend.origin || !target.pathname.startsWith('/api/')) {
    throw new TypeError(`hubspot.fetch: ${url} is not the app's permitted backend (${BACKEND_URL}/api/…)`);
  }
  const name = target.pathname.slice('/api/'.length);
  const method = (options.method ?? 'POST').toUpperCase();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), options.timeout ?? 15_000);
  try {
    return await fetch(`${PREVIEW_API_PREFIX}${encodeURIComponent(name)}${target.search}`, {
      method,
      headers: { ...options.headers, 'content-type': 'application/json', [PREVIEW_USER_HEADER]: person.id },
      ...(options.body === undefined || method === 'GET' ? {} : { body: JSON.stringify(options.body) }),
      signal: abort.signal,
    });
  } finally {
    clearTimeout(timer);
  }
};

installWorkerGlobals({ hsFetch });

// Each entry module is imported once, one at a time, so each `hubspot.extend` is captured for its own card.
const ENTRIES: Record<SlotName, () => Promise<unknown>> = {
  checklist: () => import('../../../cards/handoff-checklist/index.js'),
  'payment-status': () => import('../../../cards/payment-status/index.js'),
  settings: () => import('../../../cards/settings/index.js'),
  home: () => import('../../../cards/home/index.js'),
};
const loaded = new Map<SlotName, ReturnType<typeof loadExtension>>();
let queue: Promise<unknown> = Promise.resolve();
function load(slot: SlotName) {
  let p = loaded.get(slot);
  if (!p) {
    p = queue.then(() => loadExtension(ENTRIES[slot]));
    queue = p.catch(() => undefined);
    loaded.set(slot, p);
  }
  return p;
}

const [firstName = '', ...rest] = person.name.replace(/\s*\(.*\)$/, '').split(' ');
const userContext = {
  id: Number(person.id),
  email: person.email,
  emails: [person.email],
  firstName,
  lastName: rest.join(' '),
  roles: [],
  teams: [],
  permissions: [],
  locale: 'en-us',
  language: 'en',
};

const LOCATIONS: Record<SlotName, string> = {
  checklist: 'crm.record.tab',
  'payment-status': 'crm.record.sidebar',
  settings: 'settings',
  home: 'pages',
};
const TITLES: Record<SlotName, string> = {
  checklist: 'Handoff checklist',
  'payment-status': 'Payment status',
  settings: 'Settings',
  home: 'Home',
};

function App() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const addAlert = useCallback((a: { type?: string; title?: string; message?: string }) => {
    const toast = {
      id: Date.now() + Math.random(),
      type: a.type ?? 'info',
      title: a.title ?? '',
      message: a.message ?? '',
    };
    setToasts((t) => [...t, toast]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== toast.id)), 8000);
  }, []);

  const mount = useCallback(
    (slot: SlotName, element: HTMLElement) => {
      let unmount: (() => void) | null = null;
      let cancelled = false;
      const page = boot.page;
      const record = page.kind === 'deal' || page.kind === 'company' ? page.record : null;
      const api: ExtensionApi = {
        context: {
          location: LOCATIONS[slot],
          ...(record ? { crm: { objectId: Number(record.id), objectTypeId: record.objectTypeId } } : {}),
          user: userContext,
          portal: { id: boot.portal.id, timezone: boot.portal.timeZone },
          extension: { appId: boot.appId, appName: boot.appName, cardTitle: TITLES[slot] },
          variables: {},
        },
        actions: {
          addAlert,
          reloadPage: () => window.location.reload(),
          copyTextToClipboard: (text: string) => navigator.clipboard.writeText(text),
          closeOverlay: (id: string) => reactions.closeModal(id),
          refreshObjectProperties: () => undefined,
          onCrmPropertiesUpdate: () => undefined,
          fetchCrmObjectProperties: () =>
            Promise.reject(new Error('fetchCrmObjectProperties is not available in the local preview')),
          openIframeModal: () => console.warn('openIframeModal is not available in the local preview'),
        } as unknown as ExtensionApi['actions'],
        runServerlessFunction: () => Promise.reject(new Error('serverless functions are not used by this app')),
      };
      load(slot).then(
        (callback) => {
          if (cancelled) return;
          unmount = mountExtension(callback, api, element, {
            components: COMPONENTS,
            fallback: unmappedComponent,
            pagePath: '/',
          });
        },
        (e: unknown) => {
          element.textContent = `This card could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
          element.className = 'rh-extension rh-load-error';
        },
      );
      return () => {
        cancelled = true;
        // Not during the outer root's commit: React refuses to unmount a root synchronously while rendering.
        queueMicrotask(() => unmount?.());
      };
    },
    [addAlert],
  );

  return (
    <Chrome
      boot={boot}
      person={person}
      toasts={toasts}
      dismissToast={(id) => setToasts((t) => t.filter((x) => x.id !== id))}
      mount={mount}
    />
  );
}

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('The preview page has no #root');
createRoot(rootElement).render(<App />);
