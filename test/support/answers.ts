import type { Response } from 'supertest';

/**
 * What makes an error answer unfit for a person (or a leak): checks shared by the fuzzing and security suites.
 * Each returns the list of problems, empty when the answer is fine, so a property can print all of them at once.
 */

const STACK = /\n\s+at\s|\bat (?:async )?[\w$.<>[\]]+ \([^)]*:\d+:\d+\)|node_modules\/|\/src\/[\w/-]+\.ts/;
const INTERNAL =
  /ZodError|TypeError|ReferenceError|RangeError|Cannot read propert|is not a function|undefined is not|Maximum call stack|invalid input syntax|violates .* constraint|unsupported Unicode escape/;
const DUMP = /^\s*(\[\s*\{|\{\s*")|"code"\s*:\s*"|"path"\s*:\s*\[|"expected"\s*:|"issues"\s*:/;

/**
 * Problems with a 4xx answer of a JSON route: it must be JSON with a short, human `message`. A message may quote
 * the caller's own input (`echoable`, e.g. "Deal 1003 has no handoff <what you sent>") at any length; beyond that
 * it must stay under 2,000 characters.
 */
export function jsonErrorProblems(res: Response, echoable: readonly string[] = []): string[] {
  const problems: string[] = [];
  const type = String(res.headers['content-type'] ?? '');
  if (!type.includes('application/json')) problems.push(`content-type is "${type}", not JSON`);
  const body = res.body as Record<string, unknown> | undefined;
  const message = body?.message;
  if (typeof message !== 'string' || message.trim() === '') {
    problems.push('no message');
  } else {
    if (STACK.test(message)) problems.push('a stack trace or source path in the message');
    if (DUMP.test(message)) problems.push('a raw JSON/zod dump as the message');
    if (INTERNAL.test(message)) problems.push('an internal error text in the message');
    let own = message;
    for (const e of echoable) if (e.length > 100) own = own.split(e).join('');
    // A quoted value may come back masked or cut ("sk_test_*****…"): long runs of one character are echoes too.
    own = own.replace(/(.)\1{99,}/gsu, '');
    if (own.length > 2_000) problems.push(`a ${message.length}-character message`);
  }
  if (body && typeof body === 'object' && 'stack' in body) problems.push('a stack field');
  if (STACK.test(res.text ?? '')) problems.push('a stack trace or source path in the body');
  return problems;
}

/** Problems with an HTML page (OAuth results): a title and a message, no stack, no unescaped echo of `inputs`. */
export function htmlPageProblems(res: Response, inputs: readonly string[] = []): string[] {
  const problems: string[] = [];
  const type = String(res.headers['content-type'] ?? '');
  const text = res.text ?? '';
  if (!type.includes('text/html')) problems.push(`content-type is "${type}", not HTML`);
  if (!/<h1>[^<]+<\/h1>/.test(text)) problems.push('no <h1> title');
  if (STACK.test(text)) problems.push('a stack trace or source path in the page');
  if (INTERNAL.test(text)) problems.push('an internal error text in the page');
  for (const input of inputs) {
    if (/[<>"']/.test(input) && input.length >= 3 && text.includes(input)) {
      problems.push(`echoes input unescaped: ${JSON.stringify(input.slice(0, 80))}`);
    }
  }
  return problems;
}

/** A compact description of an answer for a failing property's message. */
export function describeAnswer(res: Response): string {
  const text = (res.text ?? '').slice(0, 600);
  return `${res.status} ${String(res.headers['content-type'] ?? '')} ${text}`;
}

/** The long strings (values and keys) of a JSON text, which an error message may quote back. */
export function longStringsIn(jsonText: string, min = 100): string[] {
  let value: unknown;
  try {
    value = JSON.parse(jsonText);
  } catch {
    return [];
  }
  const out: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.length >= min) out.push(v);
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k.length >= min) out.push(k);
        stack.push(child);
      }
    }
  }
  return out.sort((a, b) => b.length - a.length);
}
