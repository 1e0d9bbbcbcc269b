import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { PINNED_UI_EXTENSIONS_VERSION } from './bootstrap.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** One built file, served from /preview/assets/<name>. */
export interface Asset {
  contents: Uint8Array;
  contentType: string;
}

export type BundleState = { ok: true; assets: Map<string, Asset>; ms: number } | { ok: false; reason: string };

/**
 * The development dependencies the preview is built from: esbuild bundles it, and the browser code needs react-dom
 * and remote-ui's host. (esbuild alone is not enough evidence: tsx, which runs the server, depends on it too.)
 */
export const PREVIEW_TOOLS = ['esbuild', 'react-dom', '@remote-ui/core', '@remote-ui/react'] as const;

/** Which of PREVIEW_TOOLS are not installed (e.g. after `npm ci --omit=dev`): any missing, no preview. */
export function missingPreviewTools(): string[] {
  return PREVIEW_TOOLS.filter((name) => {
    try {
      require.resolve(name);
      return false;
    } catch {
      return true;
    }
  });
}

/** The folder of the installed @hubspot/ui-extensions package and its version. */
export function uiExtensionsPackage(): { dir: string; version: string } {
  // The package's exports hide package.json; walk up from its main module instead.
  let dir = path.dirname(require.resolve('@hubspot/ui-extensions'));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === '@hubspot/ui-extensions') return { dir, version: pkg.version ?? 'unknown' };
    } catch {
      // no package.json at this level
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error('@hubspot/ui-extensions has no package.json');
    dir = up;
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Bundles browser code that renders cards through the fake worker host, in memory with esbuild: ES modules with
 * code splitting (so each card entry imported with `import()` is its own chunk and its `hubspot.extend` is captured on
 * its own), `@remote-ui/react` resolved to the copy @hubspot/ui-extensions depends on so that host, remote root and
 * the components' fragment-prop wrappers share one remote-ui render context. Throws what esbuild reports.
 * @example const assets = await bundleBrowser({ main: 'src/preview/client/main.tsx' }); assets.get('main.js')
 */
export async function bundleBrowser(entryPoints: Record<string, string>): Promise<Map<string, Asset>> {
  const esbuild = await import('esbuild');
  const ui = uiExtensionsPackage();
  const oneRemoteUi: import('esbuild').Plugin = {
    name: 'one-remote-ui-react',
    setup(build) {
      build.onResolve({ filter: /^@remote-ui\/react(\/host)?$/ }, async (args) => {
        if (args.pluginData === 'one-remote-ui-react') return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: ui.dir,
          pluginData: 'one-remote-ui-react',
        });
        return resolved.errors.length > 0 ? { errors: resolved.errors } : { path: resolved.path };
      });
    },
  };
  const result = await esbuild.build({
    entryPoints,
    bundle: true,
    write: false,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    outdir: '/preview-assets',
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    define: { 'process.env.NODE_ENV': '"development"' },
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [oneRemoteUi],
  });
  const assets = new Map<string, Asset>();
  for (const file of result.outputFiles) {
    const name = path.basename(file.path);
    assets.set(name, {
      contents: file.contents,
      contentType: CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream',
    });
  }
  return assets;
}

/**
 * The preview's browser code (src/preview/client/main.tsx, which imports the real cards), built once. Answers why
 * not, instead of throwing, when the installed ui-extensions is not the pinned release or the build fails.
 * @example const state = await buildPreviewBundle(logger); if (state.ok) state.assets.get('main.js')
 */
export async function buildPreviewBundle(logger: Logger): Promise<BundleState> {
  const started = Date.now();
  const ui = uiExtensionsPackage();
  if (ui.version !== PINNED_UI_EXTENSIONS_VERSION) {
    return {
      ok: false,
      reason:
        `The preview's fake worker host is pinned to @hubspot/ui-extensions ${PINNED_UI_EXTENSIONS_VERSION}, but ` +
        `${ui.version} is installed. Check src/preview/client/extension-host.tsx against the new release, then ` +
        'update PINNED_UI_EXTENSIONS_VERSION in src/preview/bootstrap.ts.',
    };
  }
  try {
    const assets = await bundleBrowser({ main: path.join(here, 'client', 'main.tsx') });
    const ms = Date.now() - started;
    logger.info({ ms, files: assets.size }, 'preview: card bundle built');
    return { ok: true, assets, ms };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    logger.error({ err: e }, 'preview: the card bundle failed to build');
    return { ok: false, reason: `The card bundle failed to build: ${reason}` };
  }
}
