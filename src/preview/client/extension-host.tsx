/**
 * The fake HubSpot worker host: the ONE module of the preview that depends on how @hubspot/ui-extensions works
 * inside (checked against PINNED_UI_EXTENSIONS_VERSION, see /work/shared/design/CARD-PREVIEW.md option 1).
 *
 * - `hubspot.extend` is `extend_V2` read from `self` when the package is first evaluated, and only when
 *   `self.__HUBSPOT_EXTENSION_WORKER__ === true`; `hubspot.fetch` is `self.hsFetch`; the hooks
 *   (`useExtensionContext`, `useAppPageLocation`, …) call `self.hsWorkerAPI.*`; `logger` is `self.logger`.
 *   So the globals are installed before any card module is imported (cards are loaded with dynamic `import()`).
 * - Components are remote-ui components: the card renders with @remote-ui/react's `createRoot` into a
 *   `createRemoteRoot`, whose updates go to a receiver that `RemoteRenderer` shows with a controller mapping each
 *   component name to an HTML component. The bundler resolves `@remote-ui/react` to the copy ui-extensions itself
 *   depends on, so the fragment-prop wrappers (Button/Link/Tag `overlay`) find remote-ui's render context.
 */
import { createRemoteReceiver, createRemoteRoot } from '@remote-ui/core';
import { createRoot as createRemoteReactRoot } from '@remote-ui/react';
import { createController, RemoteRenderer } from '@remote-ui/react/host';
import { type ComponentType, createContext, type ReactElement, useContext } from 'react';
import { createRoot as createDomRoot } from 'react-dom/client';

/** `hubspot.fetch(url, options)` as the cards call it: the body is a plain object, not a string. */
export interface HsFetchOptions {
  method?: string;
  body?: unknown;
  timeout?: number;
  headers?: Record<string, string>;
}
export type HsFetch = (url: string, options?: HsFetchOptions) => Promise<Response>;

/** What an extend callback receives (`{ context, actions, runServerlessFunction }`). */
export interface ExtensionApi {
  context: Record<string, unknown> & { location: string };
  actions: Record<string, (...args: never[]) => unknown>;
  runServerlessFunction: (...args: unknown[]) => Promise<unknown>;
}

type ExtendCallback = (api: ExtensionApi) => ReactElement;

interface PreviewWorkerGlobals {
  __HUBSPOT_EXTENSION_WORKER__: boolean;
  extend_V2: (callback: ExtendCallback) => void;
  hsFetch: HsFetch;
  serverless: (...args: unknown[]) => Promise<unknown>;
  logger: Record<'debug' | 'info' | 'warn' | 'error', (data: unknown) => void>;
  hsWorkerAPI: Record<string, unknown>;
}

/** The API of the extension a hook is called from: each mounted extension provides its own. */
const ApiContext = createContext<(ExtensionApi & { pagePath: string }) | null>(null);

function useApi(hook: string) {
  const api = useContext(ApiContext);
  if (!api) throw new Error(`${hook} was called outside a previewed extension`);
  return api;
}

const notInPreview = (what: string) => () =>
  Promise.reject(new Error(`${what} is not available in the local preview (it needs a HubSpot portal)`));

let captured: ExtendCallback[] = [];
let installed = false;

/**
 * Puts HubSpot's worker globals on `self`. Call once, before importing any card module.
 * @example installWorkerGlobals({ hsFetch })
 */
export function installWorkerGlobals(host: { hsFetch: HsFetch }): void {
  if (installed) return;
  installed = true;
  const log =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (data: unknown): void => {
      console[level]('[extension]', data);
    };
  const globals: PreviewWorkerGlobals = {
    __HUBSPOT_EXTENSION_WORKER__: true,
    extend_V2: (callback) => {
      captured.push(callback);
    },
    hsFetch: host.hsFetch,
    serverless: notInPreview('hubspot.serverless'),
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    hsWorkerAPI: {
      useExtensionContext: () => useApi('useExtensionContext').context,
      useExtensionActions: () => useApi('useExtensionActions').actions,
      useExtensionApi: () => {
        const { context, actions, runServerlessFunction } = useApi('useExtensionApi');
        return { context, actions, runServerlessFunction };
      },
      useAppPageLocation: () => ({ path: useApi('useAppPageLocation').pagePath, params: {} }),
      fetchCrmSearch: notInPreview('useCrmSearch'),
      fetchCrmProperties: notInPreview('useCrmProperties'),
      fetchAssociations: notInPreview('useAssociations'),
      fetchHubSpotApi: notInPreview('the HubSpot API client'),
      formatCrmProperties: notInPreview('formatCrmProperties'),
    },
  };
  Object.assign(self, globals);
}

/**
 * Imports a card's entry module (which calls `hubspot.extend` once at evaluation) and returns the callback it
 * registered. Each entry module is imported once per page.
 * @example const render = await loadExtension(() => import('../../../cards/settings/index.js'))
 */
export async function loadExtension(importEntry: () => Promise<unknown>): Promise<ExtendCallback> {
  if (!installed) throw new Error('installWorkerGlobals must run before a card module is imported');
  captured = [];
  await importEntry();
  const [callback, ...more] = captured;
  captured = [];
  if (!callback) throw new Error('The card module did not call hubspot.extend (were the worker globals installed?)');
  if (more.length > 0) throw new Error('The card module called hubspot.extend more than once');
  return callback;
}

/**
 * Renders an extension as HubSpot would: its React tree into a remote root, shown in `element` through
 * `RemoteRenderer` with `components` (name → HTML component); a name missing from the map renders `fallback`.
 * @example const unmount = mountExtension(render, api, el, { components, fallback })
 */
export function mountExtension(
  callback: ExtendCallback,
  api: ExtensionApi,
  element: HTMLElement,
  options: {
    components: Record<string, ComponentType<never>>;
    fallback: (name: string) => ComponentType<never>;
    /** The app page path for `pages` extensions. */
    pagePath?: string;
  },
): () => void {
  const receiver = createRemoteReceiver();
  const remoteRoot = createRemoteRoot(receiver.receive);
  const base = createController(options.components as Record<string, ComponentType<unknown>>);
  const fallbacks = new Map<string, ComponentType<never>>();
  const controller = {
    ...base,
    get(type: string | { type: string }) {
      const name = typeof type === 'string' ? type : type.type;
      const known = options.components[name];
      if (known) return known;
      let placeholder = fallbacks.get(name);
      if (!placeholder) {
        placeholder = options.fallback(name);
        fallbacks.set(name, placeholder);
      }
      return placeholder;
    },
  } as unknown as ReturnType<typeof createController>;

  const dom = createDomRoot(element);
  dom.render(<RemoteRenderer receiver={receiver} controller={controller} />);
  const remote = createRemoteReactRoot(remoteRoot);
  remote.render(
    <ApiContext.Provider value={{ ...api, pagePath: options.pagePath ?? '/' }}>{callback(api)}</ApiContext.Provider>,
  );
  void remoteRoot.mount();
  return () => {
    remote.unmount();
    dom.unmount();
  };
}
