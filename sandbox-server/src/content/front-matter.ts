// Splits a Markdown file into its YAML front matter (between `---` lines at the top) and its body.
import { parse } from 'yaml';

export function splitFrontMatter(text: string): { data: unknown; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!m) return { data: {}, body: text };
  return { data: parse(m[1]!) ?? {}, body: text.slice(m[0].length) };
}
