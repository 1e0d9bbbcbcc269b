// HubSpot's UI-extension lint rules (the ones `hs project lint` applies) over the card sources in cards/.
//
// Two adjustments, both because the cards are bundled by `npm run build` before HubSpot sees them:
// 1. HubSpot's `no-parent-imports` and `no-invalid-extension-point-imports` recognise an extension by its path
//    (`src/app/<cards|settings|pages>/…`), so on cards/ they never fire. Their intent is kept by two rules here:
//    `bundle-boundary` (a relative import may leave cards/ only for the pure domain core, which the bundle inlines;
//    never for server code such as src/integrations, src/store, src/server, src/app or serverless/; and only the
//    packages the bundle may carry) and a `no-restricted-imports` per extension (no CRM-only imports on the
//    settings and home pages, no page-router imports in CRM cards). What reaches HubSpot is then checked by
//    test/project: every entrypoint imports only react and @hubspot/ui-extensions.
// 2. The repo has no TypeScript ESLint parser, so `stripTypesParser` blanks TypeScript syntax with spaces (positions
//    and line numbers stay exact) using the `typescript` compiler the repo already has, and parses the rest with
//    ESLint's own espree. With typescript-eslint installed, `tseslint.parser` can replace it.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { config as uiExtensionsConfig } from '@hubspot/eslint-config-ui-extensions';
import ts from 'typescript';

const require = createRequire(import.meta.url);
const espree = createRequire(require.resolve('eslint'))('espree');
const REPO = path.dirname(fileURLToPath(import.meta.url));

const SOURCES = ['cards/**/*.ts', 'cards/**/*.tsx'];

/** Pure domain modules (no I/O, no server) that the card bundles may inline. */
const CORE = [
  'src/api/',
  'src/core/',
  'src/billing/',
  'src/handoff/',
  'src/receivables/',
  'src/settings/',
  'src/metrics/',
];
/** Packages a card may import: react and @hubspot/ui-extensions stay external; zod and date-fns are bundled. */
const PACKAGES = ['react', '@hubspot/ui-extensions', 'zod', 'date-fns'];

/** Replaces [start, end) with spaces, keeping line breaks. */
function blank(chars, start, end) {
  for (let i = start; i < end; i++) if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = ' ';
}

/** TypeScript source → the same JavaScript with every type-only construct replaced by spaces. */
function stripTypes(code, fileName) {
  const kind = fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, kind);
  const chars = code.split('');
  const K = ts.SyntaxKind;
  const whole = (node) => blank(chars, node.getStart(sf), node.end);
  // `<…>` around a type parameter or type argument list.
  const angle = (list) => {
    const open = code.lastIndexOf('<', list.pos);
    const close = code.indexOf('>', list.end);
    blank(chars, open, close + 1);
  };
  // `: Type` (or `?: Type`) before a type annotation.
  const annotation = (type) => blank(chars, code.lastIndexOf(':', type.getStart(sf)), type.end);
  const modifiers = new Set([
    K.PublicKeyword,
    K.PrivateKeyword,
    K.ProtectedKeyword,
    K.ReadonlyKeyword,
    K.AbstractKeyword,
    K.OverrideKeyword,
    K.DeclareKeyword,
  ]);

  function visit(node) {
    switch (node.kind) {
      case K.InterfaceDeclaration:
      case K.TypeAliasDeclaration:
        return whole(node);
      case K.EnumDeclaration:
      case K.ModuleDeclaration:
        throw new Error(`${fileName}: enums and namespaces have runtime semantics; the lint parser cannot strip them`);
      case K.ImportDeclaration:
        if (node.importClause?.isTypeOnly) return whole(node);
        break;
      case K.ExportDeclaration:
        if (node.isTypeOnly) return whole(node);
        break;
      case K.ImportSpecifier:
      case K.ExportSpecifier:
        if (node.isTypeOnly) {
          const after = code.slice(node.end).match(/^\s*,/);
          blank(chars, node.getStart(sf), node.end + (after ? after[0].length : 0));
          return;
        }
        break;
      case K.VariableStatement:
      case K.FunctionDeclaration:
      case K.ClassDeclaration:
        if (node.modifiers?.some((m) => m.kind === K.DeclareKeyword)) return whole(node);
        if (node.kind === K.FunctionDeclaration && !node.body) return whole(node);
        break;
      case K.MethodDeclaration:
        if (!node.body) return whole(node);
        break;
      case K.AsExpression:
      case K.SatisfiesExpression:
        visit(node.expression);
        return blank(chars, node.expression.end, node.end);
      case K.NonNullExpression:
        visit(node.expression);
        return blank(chars, node.end - 1, node.end);
      case K.HeritageClause:
        if (node.token === K.ImplementsKeyword) return whole(node);
        break;
      default:
        break;
    }
    if (node.modifiers) for (const m of node.modifiers) if (modifiers.has(m.kind)) whole(m);
    if (node.typeParameters) angle(node.typeParameters);
    if (node.typeArguments) angle(node.typeArguments);
    if (node.questionToken && [K.Parameter, K.PropertyDeclaration, K.MethodDeclaration].includes(node.kind)) {
      whole(node.questionToken);
    }
    if (node.exclamationToken) whole(node.exclamationToken);
    if (node.type && node.kind !== K.TypeOperator && node.kind !== K.MappedType) annotation(node.type);
    ts.forEachChild(node, visit);
  }
  visit(sf);
  return chars.join('');
}

/** ESLint parser for TypeScript/TSX that needs nothing beyond `typescript` and ESLint's own espree. */
const stripTypesParser = {
  meta: { name: 'strip-types-espree' },
  parse(code, options = {}) {
    return espree.parse(stripTypes(code, options.filePath ?? 'file.tsx'), {
      ecmaVersion: 'latest',
      sourceType: 'module',
      ecmaFeatures: { jsx: true },
      range: true,
      loc: true,
      tokens: true,
      comment: true,
    });
  },
};

function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Imports a card bundle can carry: cards/ itself, the pure core, and the allowed packages. */
const bundleBoundary = {
  meta: {
    type: 'problem',
    docs: { description: 'Card sources import only what the bundle may inline or leave to HubSpot.' },
    messages: {
      outside:
        '"{{ source }}" is outside cards/ and not part of the pure core ({{ core }}); the card bundle must not carry it.',
      package:
        '"{{ source }}": cards may import only {{ packages }} (the bundle inlines all but react and @hubspot/ui-extensions).',
    },
    schema: [],
  },
  create(context) {
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string') return;
      if (source.startsWith('.')) {
        const target = path
          .relative(REPO, path.resolve(path.dirname(context.filename), source))
          .split(path.sep)
          .join('/');
        if (target.startsWith('cards/') || CORE.some((dir) => target.startsWith(dir))) return;
        context.report({ node, messageId: 'outside', data: { source, core: CORE.join(', ') } });
        return;
      }
      if (!PACKAGES.includes(packageOf(source))) {
        context.report({ node, messageId: 'package', data: { source, packages: PACKAGES.join(', ') } });
      }
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

const restrict = (groups, message) => ['error', { patterns: [{ group: groups, message }] }];

export default [
  { ignores: ['**/dist/**', 'node_modules/**', 'test-output/**', 'coverage/**'] },
  // HubSpot's rule set, for the card sources only (its config-file block is for its own eslint.config.js).
  ...uiExtensionsConfig.filter((block) => block.plugins).map((block) => ({ ...block, files: SOURCES })),
  {
    files: SOURCES,
    languageOptions: { parser: stripTypesParser, ecmaVersion: 'latest', sourceType: 'module' },
    plugins: { 'revenue-handoff': { rules: { 'bundle-boundary': bundleBoundary } } },
    rules: { 'revenue-handoff/bundle-boundary': 'error' },
  },
  {
    files: ['cards/handoff-checklist/**', 'cards/payment-status/**'],
    rules: {
      'no-restricted-imports': restrict(
        ['@hubspot/ui-extensions/pages', '@hubspot/ui-extensions/pages/*'],
        'App-page components do not work in CRM cards.',
      ),
    },
  },
  {
    files: ['cards/settings/**', 'cards/shared/**'],
    rules: {
      'no-restricted-imports': restrict(
        [
          '@hubspot/ui-extensions/crm',
          '@hubspot/ui-extensions/crm/*',
          '@hubspot/ui-extensions/pages',
          '@hubspot/ui-extensions/pages/*',
        ],
        'CRM and app-page components work only in their own extension points.',
      ),
    },
  },
  {
    files: ['cards/home/**'],
    rules: {
      'no-restricted-imports': restrict(
        ['@hubspot/ui-extensions/crm', '@hubspot/ui-extensions/crm/*'],
        'CRM components do not work on app pages.',
      ),
    },
  },
];
