// Subscription filters: the attribute-filter language of the Pub/Sub docs ("subscription-message-filter"), parsed
// once at creation (a bad filter is INVALID_ARGUMENT there) into a predicate over a message's attributes.
//   expr := term { AND term } | term { OR term }      (AND and OR are not mixed without parentheses)
//   term := NOT term | "-" term | "(" expr ")" | attributes.KEY ("=" | "!=") STRING | attributes:KEY
//         | hasPrefix(attributes.KEY, STRING)
// KEY is a bare name or a quoted string; STRING is double- or single-quoted with backslash escapes; ≤ 256 bytes.
import { invalidArgument } from '../errors';

export type Predicate = (attributes: Record<string, string>) => boolean;

type Token = { kind: 'word' | 'string' | 'op'; text: string; at: number };

const MAX_FILTER_BYTES = 256;

/** The predicate of a filter; an empty filter matches everything. Throws INVALID_ARGUMENT for a bad one. */
export function compileFilter(filter: string): Predicate {
  if (filter.trim() === '') return () => true;
  if (Buffer.byteLength(filter) > MAX_FILTER_BYTES) {
    throw invalidArgument(`Invalid filter: longer than ${MAX_FILTER_BYTES} bytes.`);
  }
  const parser = new Parser(tokenize(filter));
  const predicate = parser.expr();
  parser.end();
  return predicate;
}

function fail(message: string): never {
  throw invalidArgument(`Invalid filter: ${message}.`);
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      const start = i++;
      let text = '';
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\' && i + 1 < src.length) i++;
        text += src[i++];
      }
      if (i >= src.length) fail(`unterminated string at ${start}`);
      i++;
      tokens.push({ kind: 'string', text, at: start });
    } else if (src.startsWith('!=', i)) {
      tokens.push({ kind: 'op', text: '!=', at: i });
      i += 2;
    } else if ('=:().,-'.includes(c)) {
      tokens.push({ kind: 'op', text: c, at: i++ });
    } else if (/[A-Za-z0-9_]/.test(c)) {
      const start = i;
      while (i < src.length && /[A-Za-z0-9_-]/.test(src[i]!)) i++;
      tokens.push({ kind: 'word', text: src.slice(start, i), at: start });
    } else {
      fail(`unexpected character ${JSON.stringify(c)} at ${i}`);
    }
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  expr(): Predicate {
    const first = this.term();
    const op = this.peekWord('AND') ? 'AND' : this.peekWord('OR') ? 'OR' : null;
    if (!op) return first;
    const terms = [first];
    while (this.peekWord(op)) {
      this.i++;
      terms.push(this.term());
    }
    if (this.peekWord(op === 'AND' ? 'OR' : 'AND')) fail('AND and OR must be separated by parentheses');
    return op === 'AND' ? (a) => terms.every((t) => t(a)) : (a) => terms.some((t) => t(a));
  }

  end(): void {
    const t = this.tokens[this.i];
    if (t) fail(`unexpected ${JSON.stringify(t.text)} at ${t.at}`);
  }

  private term(): Predicate {
    if (this.peekWord('NOT') || this.peekOp('-')) {
      this.i++;
      const inner = this.term();
      return (a) => !inner(a);
    }
    if (this.peekOp('(')) {
      this.i++;
      const inner = this.expr();
      this.expectOp(')');
      return inner;
    }
    if (this.peekWord('hasPrefix')) {
      this.i++;
      this.expectOp('(');
      const key = this.attributeKey('.');
      this.expectOp(',');
      const prefix = this.string();
      this.expectOp(')');
      return (a) => a[key] !== undefined && a[key].startsWith(prefix);
    }
    const t = this.tokens[this.i];
    if (!t || t.kind !== 'word' || t.text !== 'attributes')
      fail(`expected a condition at ${t ? t.at : 'the end'}`);
    if (this.tokens[this.i + 1]?.text === ':') {
      const key = this.attributeKey(':');
      return (a) => Object.hasOwn(a, key);
    }
    const key = this.attributeKey('.');
    const op = this.tokens[this.i];
    if (op?.kind !== 'op' || (op.text !== '=' && op.text !== '!='))
      fail(`expected = or != after attributes.${key}`);
    this.i++;
    const value = this.string();
    return op.text === '=' ? (a) => a[key] === value : (a) => a[key] !== value;
  }

  /** `attributes` SEP KEY, where KEY is a bare name or a quoted string. */
  private attributeKey(sep: '.' | ':'): string {
    const t = this.tokens[this.i];
    if (t?.kind !== 'word' || t.text !== 'attributes') fail(`expected attributes${sep}KEY`);
    this.i++;
    this.expectOp(sep);
    const k = this.tokens[this.i];
    if (!k || (k.kind !== 'word' && k.kind !== 'string'))
      fail(`expected an attribute key after attributes${sep}`);
    this.i++;
    return k.text;
  }

  private string(): string {
    const t = this.tokens[this.i];
    if (t?.kind !== 'string') fail(`expected a quoted string at ${t ? t.at : 'the end'}`);
    this.i++;
    return t.text;
  }

  private expectOp(op: string): void {
    if (!this.peekOp(op)) fail(`expected ${JSON.stringify(op)} at ${this.tokens[this.i]?.at ?? 'the end'}`);
    this.i++;
  }

  private peekOp(op: string): boolean {
    const t = this.tokens[this.i];
    return t?.kind === 'op' && t.text === op;
  }

  private peekWord(word: string): boolean {
    const t = this.tokens[this.i];
    return t?.kind === 'word' && t.text === word;
  }
}
