/**
 * `npm run build`: turns cards/ into the HubSpot project under src/hubspot (hsproject.json's srcDir).
 *
 * - Bundles each UI extension entry (cards/<name>/index.tsx) with esbuild into one file beside its hsmeta, with the
 *   shared core, zod, date-fns and dinero.js inlined and only `react` and `@hubspot/ui-extensions` left as imports:
 *   HubSpot's build installs just the component folder's own package.json, which this script writes with exactly
 *   those two dependencies.
 * - Writes every *-hsmeta.json and local.json from the data below, with the backend URL (PUBLIC_BASE_URL, default
 *   https://revenue-handoff.example.com) in permittedUrls.fetch, the OAuth redirect, the webhook target and the
 *   card bundles; the scopes come from src/integrations/hubspot/oauth.ts and the webhook subscriptions from
 *   src/integrations/hubspot/app-webhooks.ts, so neither can drift from the code that uses them.
 *
 * Usage: PUBLIC_BASE_URL=https://handoff.example.com npm run build
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { DEFAULT_BACKEND_URL } from '../cards/shared/backend-url.js';
import { webhooksHsmeta } from '../src/integrations/hubspot/app-webhooks.js';
import { SCOPES } from '../src/integrations/hubspot/oauth.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The only packages a bundle may import; HubSpot installs them from the component's package.json. */
export const RUNTIME_PACKAGES = ['react', '@hubspot/ui-extensions'] as const;

/** Where `hs project dev` sends the backend's requests while developing (see local.json). */
export const LOCAL_BACKEND = 'http://localhost:3000';

/** One UI extension: its source entry, the component folder under app/, and its hsmeta. */
export interface ExtensionSpec {
  /** Entry module under cards/, whose only side effect is `hubspot.extend`. */
  source: string;
  /** Component folder under app/ (the parsing lib requires cards/, settings/, pages/). */
  dir: 'cards' | 'settings' | 'pages';
  /** Bundle file name, written to app/<dir>/dist/. */
  bundle: string;
  hsmetaFile: string;
  hsmeta: (entrypoint: string) => { uid: string; type: string; config: Record<string, unknown> };
}

export const EXTENSIONS: ReadonlyArray<ExtensionSpec> = [
  {
    source: 'cards/handoff-checklist/index.tsx',
    dir: 'cards',
    bundle: 'HandoffChecklist.jsx',
    hsmetaFile: 'handoff-checklist-hsmeta.json',
    hsmeta: (entrypoint) => ({
      uid: 'handoff-checklist',
      type: 'card',
      config: {
        name: 'Handoff checklist',
        description: 'What each team still needs before the handoff, its review and SLA, and the billing it sets up.',
        // A tab: the checklist is long (fields by section, editors, billing preview, thread).
        location: 'crm.record.tab',
        objectTypes: ['deals'],
        entrypoint,
      },
    }),
  },
  {
    source: 'cards/payment-status/index.tsx',
    dir: 'cards',
    bundle: 'PaymentStatus.jsx',
    hsmetaFile: 'payment-status-hsmeta.json',
    hsmeta: (entrypoint) => ({
      uid: 'payment-status',
      type: 'card',
      config: {
        name: 'Payment status',
        description: 'Overdue invoices, aging and credit hold from the finance system; an upsell warning on deals.',
        // The sidebar: a warning must be seen whichever tab of the record is open, and it is short.
        location: 'crm.record.sidebar',
        objectTypes: ['companies', 'deals'],
        entrypoint,
      },
    }),
  },
  {
    source: 'cards/settings/index.tsx',
    dir: 'settings',
    bundle: 'Settings.jsx',
    hsmetaFile: 'settings-hsmeta.json',
    hsmeta: (entrypoint) => ({ uid: 'revenue-handoff-settings', type: 'settings', config: { entrypoint } }),
  },
  {
    source: 'cards/home/index.tsx',
    dir: 'pages',
    bundle: 'Home.jsx',
    hsmetaFile: 'home-hsmeta.json',
    // App pages (platform 2026.03+): the router's index route is the app's home page.
    hsmeta: (entrypoint) => ({ uid: 'revenue-handoff-home', type: 'page', config: { entrypoint } }),
  },
];

/** `https://host[:port][/path]` without a trailing slash; HubSpot fetches only https URLs and never localhost. */
export function normalizeBaseUrl(raw: string | undefined): string {
  const value = (raw ?? '').trim() || DEFAULT_BACKEND_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`PUBLIC_BASE_URL "${value}" is not a URL`);
  }
  if (url.protocol !== 'https:') throw new Error(`PUBLIC_BASE_URL must start with https:// (got "${value}")`);
  if (['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
    throw new Error(
      'PUBLIC_BASE_URL cannot be localhost: HubSpot refuses it; local.json proxies it to localhost instead',
    );
  }
  if (url.search || url.hash) throw new Error(`PUBLIC_BASE_URL must not have a query or fragment (got "${value}")`);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** The support contact shown on the marketplace listing, on the backend's host. */
function support(baseUrl: string) {
  const host = new URL(baseUrl).hostname;
  return {
    supportEmail: `support@${host}`,
    documentationUrl: `${baseUrl}/`,
    supportUrl: `${baseUrl}/`,
  };
}

export function entrypointOf(spec: ExtensionSpec): string {
  return `/app/${spec.dir}/dist/${spec.bundle}`;
}

/** Every generated project file except the bundles, by path relative to the srcDir. */
export function projectFiles(baseUrl: string, runtimeVersions: Record<string, string>): Record<string, unknown> {
  const files: Record<string, unknown> = {
    'app/app-hsmeta.json': {
      uid: 'revenue-handoff',
      type: 'app',
      config: {
        name: 'Revenue Handoff',
        description:
          'Deal-won handoff checklists between Sales, Customer Success and Finance, billing setup in QuickBooks, Xero or Stripe, and overdue-invoice warnings on companies and deals.',
        distribution: 'marketplace',
        auth: {
          type: 'oauth',
          redirectUrls: [`${baseUrl}/oauth/hubspot/callback`],
          requiredScopes: [...SCOPES],
          optionalScopes: [],
          conditionallyRequiredScopes: [],
        },
        permittedUrls: { fetch: [baseUrl], iframe: [], img: [] },
        support: support(baseUrl),
      },
    },
    'app/webhooks/webhooks-hsmeta.json': {
      uid: 'revenue-handoff-webhooks',
      ...webhooksHsmeta(`${baseUrl}/webhooks/hubspot`),
    },
    // `hs project dev` sends hubspot.fetch calls for the backend URL to the local server instead.
    'app/local.json': { proxy: { [baseUrl]: LOCAL_BACKEND } },
  };
  for (const spec of EXTENSIONS) files[`app/${spec.dir}/${spec.hsmetaFile}`] = spec.hsmeta(entrypointOf(spec));
  for (const dir of new Set(EXTENSIONS.map((s) => s.dir))) {
    files[`app/${dir}/package.json`] = {
      name: `revenue-handoff-${dir}`,
      version: '0.1.0',
      private: true,
      type: 'module',
      description:
        'Generated by npm run build (scripts/build-cards.ts): the bundles here need only these two packages.',
      dependencies: Object.fromEntries(RUNTIME_PACKAGES.map((p) => [p, runtimeVersion(runtimeVersions, p)])),
    };
  }
  return files;
}

function runtimeVersion(versions: Record<string, string>, pkg: string): string {
  const v = versions[pkg];
  if (!v) throw new Error(`package.json does not depend on ${pkg}`);
  return v;
}

/**
 * zod re-exports every locale under `z.locales`, and esbuild keeps a whole re-exported namespace, so each bundle
 * carried ~300 KiB of translations. The cards never switch zod's locale (our schemas word their own messages and
 * zod configures English itself), so the locale index is narrowed to English.
 */
const zodEnglishOnly: esbuild.Plugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

/** True for an import the uploaded bundle may keep: react and @hubspot/ui-extensions, and their subpaths. */
export function isRuntimeImport(specifier: string): boolean {
  return RUNTIME_PACKAGES.some((p) => specifier === p || specifier.startsWith(`${p}/`));
}

/**
 * Every module a built file still imports (static, dynamic, require), read back with esbuild itself.
 * @example await importsOf('src/hubspot/app/cards/dist/HandoffChecklist.jsx') // ['react/jsx-runtime', '@hubspot/ui-extensions', 'react']
 */
export async function importsOf(file: string): Promise<string[]> {
  const result = await esbuild.build({
    entryPoints: [file],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    logLevel: 'silent',
    plugins: [
      {
        name: 'everything-external',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) =>
            args.kind === 'entry-point' ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  const seen = new Set<string>();
  for (const input of Object.values(result.metafile.inputs)) for (const i of input.imports) seen.add(i.path);
  return [...seen];
}

/** Committed hsmeta files are formatted by the repo's formatter, so `biome check .` passes after a build. */
function formatLikeTheRepo(srcDir: string, files: string[]): void {
  const biome = path.join(REPO_ROOT, 'node_modules', '.bin', 'biome');
  if (path.relative(REPO_ROOT, srcDir).startsWith('..') || !existsSync(biome)) return;
  const run = spawnSync(biome, ['format', '--write', '--no-errors-on-unmatched', ...files], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`biome format failed: ${run.stderr || run.stdout}`);
}

export interface BuildResult {
  baseUrl: string;
  /** Absolute paths of the generated files, bundles included. */
  written: string[];
  bundles: Array<{ file: string; bytes: number; imports: string[] }>;
}

/**
 * Builds the project into `srcDir` (default src/hubspot). Fails when a bundle would import anything besides
 * react and @hubspot/ui-extensions.
 */
export async function buildProject(options: { srcDir?: string; baseUrl?: string } = {}): Promise<BuildResult> {
  const srcDir = path.resolve(options.srcDir ?? path.join(REPO_ROOT, 'src/hubspot'));
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const rootPackage = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const written: string[] = [];
  const jsonFiles: string[] = [];
  for (const [rel, json] of Object.entries(projectFiles(baseUrl, rootPackage.dependencies))) {
    const file = path.join(srcDir, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
    jsonFiles.push(file);
  }
  formatLikeTheRepo(srcDir, jsonFiles);
  written.push(...jsonFiles);

  const bundles: BuildResult['bundles'] = [];
  for (const dir of new Set(EXTENSIONS.map((s) => s.dir)))
    await rm(path.join(srcDir, 'app', dir, 'dist'), { recursive: true, force: true });
  for (const spec of EXTENSIONS) {
    const outfile = path.join(srcDir, 'app', spec.dir, 'dist', spec.bundle);
    await mkdir(path.dirname(outfile), { recursive: true });
    await esbuild.build({
      entryPoints: [path.join(REPO_ROOT, spec.source)],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      jsx: 'automatic',
      // .jsx: HubSpot documents .jsx/.tsx entrypoints; plain ES modules are valid JSX.
      loader: { '.ts': 'ts', '.tsx': 'tsx' },
      external: RUNTIME_PACKAGES.flatMap((p) => [p, `${p}/*`]),
      define: { __RH_BACKEND_URL__: JSON.stringify(baseUrl), 'process.env.NODE_ENV': '"production"' },
      minify: true,
      legalComments: 'none',
      plugins: [zodEnglishOnly],
      banner: { js: `// Generated by npm run build from ${spec.source}; do not edit.` },
      logLevel: 'warning',
    });
    const imports = await importsOf(outfile);
    const stray = imports.filter((i) => !isRuntimeImport(i));
    if (stray.length > 0)
      throw new Error(
        `${spec.bundle} would import ${stray.join(', ')}; only ${RUNTIME_PACKAGES.join(' and ')} are installed by HubSpot`,
      );
    const bytes = (await readFile(outfile)).byteLength;
    bundles.push({ file: outfile, bytes, imports });
    written.push(outfile);
  }
  return { baseUrl, written, bundles };
}

async function main(): Promise<void> {
  const result = await buildProject({ baseUrl: process.env.PUBLIC_BASE_URL });
  const rel = (f: string) => path.relative(REPO_ROOT, f);
  process.stdout.write(`HubSpot project built for ${result.baseUrl}\n`);
  for (const b of result.bundles) {
    process.stdout.write(`  ${rel(b.file)}  ${(b.bytes / 1024).toFixed(0)} KiB  imports ${b.imports.join(', ')}\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
