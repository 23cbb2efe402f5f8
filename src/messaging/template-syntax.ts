/**
 * The template language: `{{name}}` inserts a variable, `{{#x}}…{{/x}}` keeps its inside only when x is
 * present, `{{^x}}…{{/x}}` only when it is absent. Text is compiled once, at load, into a plain
 * function over a record of strings; rendering does no parsing (it runs for every planned message).
 *
 * The compiler proves at load what rendering relies on: every name is known, every optional value is
 * used only inside a section that guarantees it, and the field cannot come out empty.
 */

/** Values at render time: a variable or flag is present (a non-empty string) or absent (undefined). */
export type TemplateValues = Readonly<Record<string, string | undefined>>;
export type CompiledText = (values: TemplateValues) => string;

export interface VariableSpec {
  /** May be absent at render time: then it may only be used inside a section that guarantees it. */
  optional?: boolean;
  /** Sections (besides its own) inside which this optional variable is known to be present. */
  presentWithin?: readonly string[];
  /** A flag is only for sections (`{{#overdue}}`), never inserted as text. */
  flag?: boolean;
}

export type Vocabulary = Readonly<Record<string, VariableSpec>>;

export class TemplateSyntaxError extends Error {
  constructor(
    readonly column: number,
    readonly reason: string,
  ) {
    super(`column ${column}: ${reason}`);
  }
}

type Node = string | { name: string } | { section: string; inverted: boolean; body: Node[] };

const TAG = /\{\{\s*([#^/]?)\s*([^{}\s]*)\s*\}\}/g;

function parse(source: string, vocabulary: Vocabulary): Node[] {
  const root: Node[] = [];
  const stack: Array<{ name: string; inverted: boolean; body: Node[]; column: number }> = [];
  let body = root;
  let last = 0;
  for (const match of source.matchAll(TAG)) {
    const at = match.index;
    const column = at + 1;
    if (at > last) body.push(source.slice(last, at));
    last = at + match[0].length;
    const [, sigil, name = ''] = match;
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new TemplateSyntaxError(column, `${JSON.stringify(match[0])} is not a tag like {{name}}, {{#name}} or {{/name}}`);
    const spec = vocabulary[name];
    if (!spec) throw new TemplateSyntaxError(column, `unknown variable ${JSON.stringify(name)} (known: ${Object.keys(vocabulary).join(', ')})`);
    if (sigil === '#' || sigil === '^') {
      const section = { name, inverted: sigil === '^', body: [] as Node[], column };
      body.push({ section: name, inverted: section.inverted, body: section.body });
      stack.push(section);
      body = section.body;
    } else if (sigil === '/') {
      const open = stack.pop();
      if (!open || open.name !== name) throw new TemplateSyntaxError(column, open ? `{{/${name}}} closes {{${open.inverted ? '^' : '#'}${open.name}}} opened at column ${open.column}` : `{{/${name}}} closes a section that was never opened`);
      body = stack.length > 0 ? stack[stack.length - 1]!.body : root;
    } else {
      if (spec.flag) throw new TemplateSyntaxError(column, `${name} is a condition for {{#${name}}}…{{/${name}}}, not a value to insert`);
      if (spec.optional && !stack.some((s) => !s.inverted && (s.name === name || spec.presentWithin?.includes(s.name)))) {
        const within = [name, ...(spec.presentWithin ?? [])].map((s) => `{{#${s}}}`).join(' or ');
        throw new TemplateSyntaxError(column, `${name} may be absent: use it only inside ${within}…{{/…}}`);
      }
      body.push({ name });
    }
  }
  const open = stack.pop();
  if (open) throw new TemplateSyntaxError(open.column, `{{${open.inverted ? '^' : '#'}${open.name}}} is never closed`);
  if (last < source.length) body.push(source.slice(last));
  return root;
}

/**
 * Whether the field always has visible text: literal text or a required value outside every section,
 * or a `{{#x}}…{{/x}}{{^x}}…{{/x}}` pair whose two sides both always have some.
 */
function alwaysVisible(nodes: Node[], vocabulary: Vocabulary): boolean {
  const shown = new Map<string, { when: boolean; unless: boolean }>();
  for (const n of nodes) {
    if (typeof n === 'string') {
      if (n.trim() !== '') return true;
    } else if ('name' in n) {
      if (!vocabulary[n.name]?.optional) return true;
    } else if (alwaysVisible(n.body, vocabulary)) {
      const sides = shown.get(n.section) ?? { when: false, unless: false };
      if (n.inverted) sides.unless = true;
      else sides.when = true;
      if (sides.when && sides.unless) return true;
      shown.set(n.section, sides);
    }
  }
  return false;
}

function build(nodes: Node[]): CompiledText {
  const parts = nodes.map((n): CompiledText => {
    if (typeof n === 'string') return () => n;
    if ('name' in n) {
      const name = n.name;
      return (v) => v[name]!;
    }
    const name = n.section;
    const inner = build(n.body);
    return n.inverted ? (v) => (v[name] === undefined ? inner(v) : '') : (v) => (v[name] !== undefined ? inner(v) : '');
  });
  // Perf: most fields are a handful of parts; a plain loop beats map/join on the hot path.
  if (parts.length === 1) return parts[0]!;
  return (v) => {
    let out = '';
    for (let i = 0; i < parts.length; i++) out += parts[i]!(v);
    return out;
  };
}

/** Compiles one field's text; throws TemplateSyntaxError (with the column) on anything rendering could get wrong. */
export function compileText(source: string, vocabulary: Vocabulary): CompiledText {
  const nodes = parse(source, vocabulary);
  if (!alwaysVisible(nodes, vocabulary)) throw new TemplateSyntaxError(1, 'could render empty: put some text or a required variable outside every section');
  return build(nodes);
}
