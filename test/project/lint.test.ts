import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import { REPO_ROOT } from '../../scripts/build-cards.js';

/** eslint.config.js: HubSpot's UI-extension rules plus the bundle boundary, run over cards/ as CI would. */

const eslint = () => new ESLint({ cwd: REPO_ROOT });

describe('card lint (eslint.config.js)', () => {
  it('passes on every card source', async () => {
    const results = await eslint().lintFiles(['cards']);
    expect(results.length).toBeGreaterThan(20);
    const problems = results.flatMap((r) =>
      r.messages.map((m) => `${path.relative(REPO_ROOT, r.filePath)}:${m.line}:${m.column} ${m.ruleId} ${m.message}`),
    );
    expect(problems).toEqual([]);
  }, 60_000);

  it('flags DOM elements, native fetch, browser storage and dialogs, server code and unbundled packages', async () => {
    const code = [
      "import express from 'express';",
      "import { apiRouter } from '../../src/server/api.js';",
      "import type { Handler } from '../../serverless/handler.js';",
      "import { PageTitle } from '@hubspot/ui-extensions/pages';",
      "import { formatMoney } from '../../src/core/money.js';",
      'interface P { a?: number }',
      'export function Probe(props: P) {',
      '  const x = (props as unknown as P).a!;',
      "  localStorage.setItem('k', String(x));",
      "  void fetch('https://example.com');",
      "  window.alert('hi');",
      '  const h: Handler<never, never> | null = null;',
      '  void [express, apiRouter, h, PageTitle, formatMoney];',
      '  return <div>hello</div>;',
      '}',
    ].join('\n');
    const [result] = await eslint().lintText(code, {
      filePath: path.join(REPO_ROOT, 'cards/payment-status/Probe.tsx'),
    });
    const found = (result?.messages ?? []).map((m) => `${m.line}:${m.ruleId}`);
    expect(found).toEqual([
      '1:revenue-handoff/bundle-boundary',
      '2:revenue-handoff/bundle-boundary',
      '4:no-restricted-imports',
      '9:@hubspot/ui-extensions/no-browser-storage',
      '10:@hubspot/ui-extensions/no-native-http',
      '11:@hubspot/ui-extensions/no-browser-dialogs',
      '14:@hubspot/ui-extensions/no-html-elements',
    ]);
  }, 60_000);
});
