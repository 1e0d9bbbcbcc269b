import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Components, PLATFORM_VERSIONS } from '@hubspot/project-parsing-lib/constants';
import { isKnownPlatformVersion, parseProjectConfig } from '@hubspot/project-parsing-lib/projects';
import { type IntermediateRepresentationNode, translate } from '@hubspot/project-parsing-lib/translate';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type BuildResult,
  buildProject,
  EXTENSIONS,
  importsOf,
  isRuntimeImport,
  normalizeBaseUrl,
  projectFiles,
  REPO_ROOT,
} from '../../scripts/build-cards.js';
import { CRM_OBJECT_SUBSCRIPTIONS } from '../../src/integrations/hubspot/app-webhooks.js';
import { SCOPES } from '../../src/integrations/hubspot/oauth.js';

/**
 * The HubSpot project as `hs project upload` would send it: built into a temp srcDir, read back with HubSpot's own
 * parsing library (translate, skipValidation: its schemas are fetched from HubSpot, so they are not offline).
 */

const BASE_URL = 'https://handoff.acme.test';
const project = parseProjectConfig(REPO_ROOT);
let srcDir: string;
let built: BuildResult;
let nodes: IntermediateRepresentationNode[];
let skipped: string[];

beforeAll(async () => {
  srcDir = await mkdtemp(path.join(os.tmpdir(), 'rh-project-'));
  built = await buildProject({ srcDir, baseUrl: BASE_URL });
  const result = await translate(
    { projectSourceDir: srcDir, platformVersion: project.platformVersion },
    { skipValidation: true },
  );
  nodes = Object.values(result.intermediateRepresentation.intermediateNodesIndexedByUid);
  skipped = result.skippedHsMetaFiles;
}, 60_000);

afterAll(async () => {
  await rm(srcDir, { recursive: true, force: true });
});

const byType = (type: string) => nodes.filter((n) => n.componentType === type);
const config = (n: IntermediateRepresentationNode | undefined) => (n?.config ?? {}) as Record<string, unknown>;

describe('HubSpot project (src/hubspot)', () => {
  it('targets a platform version the parsing library knows, with src/hubspot as srcDir', () => {
    expect(project.srcDir).toBe('src/hubspot');
    expect(project.platformVersion).toBe(PLATFORM_VERSIONS.v2026_09);
    expect(isKnownPlatformVersion(project.platformVersion)).toBe(true);
  });

  it('finds every hsmeta file where the platform expects it, none skipped', () => {
    expect(skipped).toEqual([]);
    expect(nodes.map((n) => n.componentType).sort()).toEqual([
      'APPLICATION',
      'CARD',
      'CARD',
      'PAGE',
      'SETTINGS',
      'WEBHOOKS',
    ]);
    for (const n of nodes) {
      const userType = n.componentType === 'APPLICATION' ? 'app' : n.componentType.toLowerCase();
      const component = Components[userType];
      expect(component).toBeDefined();
      const expectedDir = component?.parentComponent
        ? `${Components[component.parentComponent]?.dir}/${component.dir}`
        : component?.dir;
      expect(path.posix.dirname(n.metaFilePath)).toBe(expectedDir);
      if (n.componentType !== 'APPLICATION') expect(n.componentDeps.app).toBe('revenue-handoff');
    }
  });

  it('is a marketplace OAuth app with exactly the SCOPES the backend requests and the backend URL permitted', () => {
    const [app] = byType('APPLICATION');
    const c = config(app);
    expect(app?.uid).toBe('revenue-handoff');
    expect(c.distribution).toBe('marketplace');
    expect(c.auth).toEqual({
      type: 'oauth',
      redirectUrls: [`${BASE_URL}/oauth/hubspot/callback`],
      requiredScopes: [...SCOPES],
      optionalScopes: [],
      conditionallyRequiredScopes: [],
    });
    expect((c.permittedUrls as { fetch: string[] }).fetch).toContain(BASE_URL);
  });

  it('has the checklist on the deal tab and payment status in the company and deal sidebars', () => {
    const cards = Object.fromEntries(byType('CARD').map((n) => [n.uid, config(n)]));
    expect(cards['handoff-checklist']).toMatchObject({ location: 'crm.record.tab', objectTypes: ['deals'] });
    expect(cards['payment-status']).toMatchObject({
      location: 'crm.record.sidebar',
      objectTypes: ['companies', 'deals'],
    });
  });

  it('has a settings page and an app home page', () => {
    expect(byType('SETTINGS')).toHaveLength(1);
    expect(byType('PAGE')).toHaveLength(1);
    expect(config(byType('PAGE')[0]).entrypoint).toBe('/app/pages/dist/Home.jsx');
  });

  it('subscribes webhooks exactly to the subscriptions in app-webhooks.ts, delivered to the backend', () => {
    const c = config(byType('WEBHOOKS')[0]) as {
      settings: { targetUrl: string };
      subscriptions: { crmObjects: unknown[] };
    };
    expect(c.settings.targetUrl).toBe(`${BASE_URL}/webhooks/hubspot`);
    expect(c.subscriptions.crmObjects).toEqual(CRM_OBJECT_SUBSCRIPTIONS);
    expect(c.subscriptions.crmObjects).toContainEqual({
      subscriptionType: 'object.propertyChange',
      objectType: 'deal',
      propertyName: 'dealstage',
      active: true,
    });
  });

  it('every entrypoint exists and imports nothing but react and @hubspot/ui-extensions, which its package.json declares', async () => {
    const entrypoints = nodes.map((n) => config(n).entrypoint).filter((e): e is string => typeof e === 'string');
    expect(entrypoints).toHaveLength(EXTENSIONS.length);
    const rootPackage = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const entrypoint of entrypoints) {
      const file = path.join(srcDir, entrypoint);
      expect(existsSync(file)).toBe(true);
      const imports = await importsOf(file);
      expect(imports.length).toBeGreaterThan(0);
      expect(imports.filter((i) => !isRuntimeImport(i))).toEqual([]);
      const pkg = JSON.parse(
        await readFile(path.join(srcDir, entrypoint.split('/').slice(0, 3).join('/'), 'package.json'), 'utf8'),
      ) as {
        dependencies: Record<string, string>;
      };
      expect(pkg.dependencies).toEqual({
        react: rootPackage.dependencies.react,
        '@hubspot/ui-extensions': rootPackage.dependencies['@hubspot/ui-extensions'],
      });
    }
  });

  it('writes the backend URL into the bundles and proxies it to localhost:3000 for hs project dev', async () => {
    for (const b of built.bundles) {
      const text = await readFile(b.file, 'utf8');
      expect(text).toContain(`"${BASE_URL}"`);
      expect(text).not.toContain('revenue-handoff.example.com');
      expect(text).not.toContain('__RH_BACKEND_URL__');
    }
    const local = JSON.parse(await readFile(path.join(srcDir, 'app/local.json'), 'utf8'));
    expect(local).toEqual({ proxy: { [BASE_URL]: 'http://localhost:3000' } });
  });

  it('the committed project files are what the build writes for the default URL', async () => {
    const rootPackage = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const expected = projectFiles(normalizeBaseUrl(undefined), rootPackage.dependencies);
    for (const [rel, json] of Object.entries(expected)) {
      const committed = JSON.parse(await readFile(path.join(REPO_ROOT, 'src/hubspot', rel), 'utf8'));
      expect({ file: rel, content: committed }).toEqual({ file: rel, content: json });
    }
  });

  it('refuses a backend URL HubSpot would not fetch', () => {
    expect(normalizeBaseUrl(undefined)).toBe('https://revenue-handoff.example.com');
    expect(normalizeBaseUrl('https://handoff.acme.test/')).toBe('https://handoff.acme.test');
    expect(() => normalizeBaseUrl('http://handoff.acme.test')).toThrow('https://');
    expect(() => normalizeBaseUrl('https://localhost:3000')).toThrow('localhost');
  });
});
