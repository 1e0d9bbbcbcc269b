import type { z } from 'zod';
import { DomainError, formatPath, type Issue } from './errors.js';

// zod's own wording; anything else is a message we wrote in a schema, which beats a generic rewrite.
const ZOD_DEFAULT = /^Invalid (input|option|element|key|union)|^Too (big|small)|^Expected|^Unrecognized key/;

function humanMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  if (!ZOD_DEFAULT.test(issue.message)) return issue.message;
  if (issue.code === 'invalid_type') {
    const got = issue.input === null ? 'null' : Array.isArray(issue.input) ? 'a list' : typeof issue.input;
    return `must be ${article(issue.expected)} (got ${got})`;
  }
  if (issue.code === 'invalid_key') {
    const inner = issue.issues[0];
    return `is not an accepted key: ${inner ? humanMessage(inner) : 'invalid'}`;
  }
  if (issue.code === 'unrecognized_keys')
    return `has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
  return issue.message;
}

function article(expected: string): string {
  if (expected === 'array') return 'a list';
  if (expected === 'object') return 'an object';
  if (expected === 'int') return 'a whole number';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** Converts zod issues into our issue list, each with a readable path and message. */
export function zodIssues(error: z.ZodError, prefix = ''): Issue[] {
  return error.issues.map((issue) => {
    const path = formatPath(issue.path);
    const full = prefix && path ? (path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`) : prefix || path;
    return { path: full, message: humanMessage(issue) };
  });
}

/**
 * Parses `input` with `schema`, or throws one `DomainError('invalid_input')` naming every bad field.
 * @example const plan = parseInput(BillingPlanSchema, body.plan, 'plan');
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  // reportInput: without it zod 4 leaves `input` out of issues, and "not an integer" would read as "is required".
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const issues = zodIssues(result.error, prefix);
  const first = issues[0] ?? { path: prefix, message: 'is invalid' };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return throwInvalid(first, more, issues);
}

function throwInvalid(first: Issue, more: string, issues: Issue[]): never {
  throw new DomainError('invalid_input', `${first.message}${more}`, first.path, issues);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A NUL, or a UTF-16 surrogate without its partner: PostgreSQL stores neither in text or jsonb. */
const unstorable = (s: string) => s.includes('\u0000') || LONE_SURROGATE.test(s);

export const UNSTORABLE_TEXT_MESSAGE = 'contains a NUL character or an unpaired surrogate, which cannot be stored';

/**
 * The path of the first string (value or key) in a parsed JSON value that PostgreSQL cannot store, or null. Walks
 * iteratively, so arbitrarily deep input cannot overflow the stack.
 * @example unstorableTextPath({ a: ['ok', 'x\u0000'] }) // 'a[1]'
 */
export function unstorableTextPath(value: unknown): string | null {
  // Each entry links to its parent, so deep input costs memory in proportion to its size, not its depth squared.
  type Entry = { v: unknown; key: string | number | null; parent: Entry | null };
  const pathOf = (e: Entry | null, last?: string): string => {
    const keys: Array<string | number> = last === undefined ? [] : [last];
    for (let cur = e; cur && cur.key !== null; cur = cur.parent) keys.push(cur.key);
    return formatPath(keys.reverse());
  };
  const stack: Entry[] = [{ v: value, key: null, parent: null }];
  while (stack.length > 0) {
    const e = stack.pop() as Entry;
    if (typeof e.v === 'string') {
      if (unstorable(e.v)) return pathOf(e);
    } else if (Array.isArray(e.v)) {
      for (let i = e.v.length - 1; i >= 0; i--) stack.push({ v: e.v[i], key: i, parent: e });
    } else if (e.v !== null && typeof e.v === 'object') {
      for (const [k, child] of Object.entries(e.v)) {
        if (unstorable(k)) return pathOf(e, k);
        stack.push({ v: child, key: k, parent: e });
      }
    }
  }
  return null;
}
