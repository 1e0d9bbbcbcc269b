/**
 * The sandbox's reading of QuickBooks' query language: `select * from <Entity> [where c (and c)*]
 * [orderby <field> [asc|desc]] [startposition n] [maxresults n]`, keywords in any case, strings single-quoted
 * with backslash escapes. Only fields QuickBooks documents as filterable and that the adapter uses are accepted;
 * anything else is a QueryParserError, as it would be (or should be) against the real API.
 */

export type Operator = '=' | '>=' | '<=' | '>' | '<' | 'in';
export type Literal = string | number | boolean;

export interface Condition {
  field: string;
  op: Operator;
  value: Literal | Literal[];
}

export interface ParsedQuery {
  entity: string;
  where: Condition[];
  orderBy?: { field: string; desc: boolean };
  startPosition: number;
  maxResults: number;
}

export class QueryParseError extends Error {}

type Token = { kind: 'word' | 'string' | 'number' | 'op' | 'punct'; text: string; value?: Literal };

function tokenize(q: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= q.length) throw new QueryParseError('unterminated string literal');
        const ch = q[i] as string;
        if (ch === '\\') {
          const next = q[i + 1];
          if (next === undefined) throw new QueryParseError('dangling backslash');
          s += next;
          i += 2;
          continue;
        }
        if (ch === "'") {
          i++;
          break;
        }
        s += ch;
        i++;
      }
      out.push({ kind: 'string', text: s, value: s });
      continue;
    }
    const op = /^(>=|<=|=|>|<)/.exec(q.slice(i));
    if (op) {
      out.push({ kind: 'op', text: op[1] as string });
      i += (op[1] as string).length;
      continue;
    }
    if (c === '(' || c === ')' || c === ',' || c === '*') {
      out.push({ kind: 'punct', text: c });
      i++;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(q.slice(i));
    if (num) {
      out.push({ kind: 'number', text: num[0], value: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(q.slice(i));
    if (word) {
      out.push({ kind: 'word', text: word[0] });
      i += word[0].length;
      continue;
    }
    throw new QueryParseError(`unexpected character "${c}"`);
  }
  return out;
}

/**
 * Parses one select statement; throws QueryParseError with a readable reason.
 * @example parseQuery("select * from Customer where DisplayName = 'O\\'Brien'").where[0].value // "O'Brien"
 */
export function parseQuery(q: string): ParsedQuery {
  const t = tokenize(q);
  let i = 0;
  const peek = () => t[i];
  const word = (w: string) => {
    const tok = t[i];
    if (tok?.kind === 'word' && tok.text.toLowerCase() === w) {
      i++;
      return true;
    }
    return false;
  };
  const expectWord = (w: string) => {
    if (!word(w)) throw new QueryParseError(`expected "${w}" at token ${i + 1}`);
  };
  const literal = (): Literal => {
    const tok = t[i++];
    if (!tok) throw new QueryParseError('expected a value');
    if (tok.kind === 'string' || tok.kind === 'number') return tok.value as Literal;
    if (tok.kind === 'word' && /^(true|false)$/i.test(tok.text)) return tok.text.toLowerCase() === 'true';
    throw new QueryParseError(`expected a value, got "${tok.text}"`);
  };

  expectWord('select');
  if (peek()?.text !== '*') throw new QueryParseError('only "select *" is supported');
  i++;
  expectWord('from');
  const entity = t[i++];
  if (entity?.kind !== 'word') throw new QueryParseError('expected an entity name');
  const out: ParsedQuery = { entity: entity.text, where: [], startPosition: 1, maxResults: 100 };
  if (word('where')) {
    do {
      const field = t[i++];
      if (field?.kind !== 'word') throw new QueryParseError('expected a field name');
      const opTok = t[i];
      let op: Operator;
      if (opTok?.kind === 'op') {
        op = opTok.text as Operator;
        i++;
      } else if (word('in')) op = 'in';
      else throw new QueryParseError(`unsupported operator after ${field.text}`);
      if (op === 'in') {
        if (t[i++]?.text !== '(') throw new QueryParseError('expected "(" after IN');
        const values: Literal[] = [literal()];
        while (t[i]?.text === ',') {
          i++;
          values.push(literal());
        }
        if (t[i++]?.text !== ')') throw new QueryParseError('expected ")"');
        out.where.push({ field: field.text, op, value: values });
      } else out.where.push({ field: field.text, op, value: literal() });
    } while (word('and'));
  }
  if (word('orderby')) {
    const field = t[i++];
    if (field?.kind !== 'word') throw new QueryParseError('expected a field after ORDERBY');
    const desc = word('desc');
    if (!desc) word('asc');
    out.orderBy = { field: field.text, desc };
  }
  if (word('startposition')) out.startPosition = Number(literal());
  if (word('maxresults')) out.maxResults = Number(literal());
  if (i !== t.length) throw new QueryParseError(`unexpected "${t[i]?.text}"`);
  if (!Number.isInteger(out.startPosition) || out.startPosition < 1)
    throw new QueryParseError('STARTPOSITION must be 1 or more');
  if (!Number.isInteger(out.maxResults) || out.maxResults < 1 || out.maxResults > 1000) {
    throw new QueryParseError('MAXRESULTS must be between 1 and 1000');
  }
  return out;
}
