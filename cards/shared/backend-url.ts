/**
 * The backend's public origin, the one URL listed in the app's `permittedUrls.fetch`. `npm run build` replaces
 * `__RH_BACKEND_URL__` with PUBLIC_BASE_URL; tests and the local preview run the sources unbundled and get the default.
 */
declare const __RH_BACKEND_URL__: string | undefined;

/** What PUBLIC_BASE_URL defaults to when the build is run without it. */
export const DEFAULT_BACKEND_URL = 'https://revenue-handoff.example.com';

export const BACKEND_URL: string = typeof __RH_BACKEND_URL__ === 'string' ? __RH_BACKEND_URL__ : DEFAULT_BACKEND_URL;
