// Links between the workbook's pages, written as paths on disk so that they also work where Markdown is read
// without msgbook (GitHub, an editor): `../02-patterns/README.md#acknowledgements`, `#bounded-queues`. The app has
// hash routes instead (`#/chapters/02-patterns/acknowledgements`), so the chapter renderer gives headings the ids
// GitHub gives them and rewrites such links to the routes; `#/…` links are already routes and stay as they are.
import path from 'node:path';
import type MarkdownIt from 'markdown-it';

type Markdown = InstanceType<typeof MarkdownIt>;

/** GitHub's heading anchor: lower case, punctuation dropped, each space a hyphen. */
export function headingSlug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Gives every heading an id (`-1`, `-2`… on repeats, as GitHub does). */
export function headingIds(md: Markdown): void {
  md.core.ruler.push('msgbook_heading_ids', (state) => {
    const seen = new Map<string, number>();
    state.tokens.forEach((token, i) => {
      if (token.type !== 'heading_open') return;
      const inline = state.tokens[i + 1];
      const text = (inline?.children ?? [])
        .filter((c) => c.type === 'text' || c.type === 'code_inline')
        .map((c) => c.content)
        .join('');
      const base = headingSlug(text);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      token.attrSet('id', n ? `${base}-${n}` : base);
    });
  });
}

/**
 * The app's route for a link written in the Markdown file of folder `from` (`chapters/02-patterns`,
 * `exercises/07-retry-budget`), or undefined when it is not a link between pages (a web address, a file, an app
 * route already).
 */
export function appHref(href: string, from: string): string | undefined {
  if (href.startsWith('#/') || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('/')) return undefined;
  const [file = '', anchor] = href.split('#', 2) as [string, string | undefined];
  const tail = anchor ? `/${anchor}` : '';
  const target = path.posix.normalize(path.posix.join(from, file)) + (file === '' ? '/' : '');
  const chapter = /^chapters\/(\d\d-[a-z0-9-]+)\/(?:README\.md)?$/.exec(target);
  if (chapter) return `#/chapters/${chapter[1]}${tail}`;
  const exercise = /^exercises\/(\d\d-[a-z0-9-]+)\/(?:README\.md)?$/.exec(target);
  if (exercise) return `#/exercises/${exercise[1]}`;
  return undefined;
}

/** Rewrites the links between pages of chapters/<slug>/README.md to the app's routes. */
export function pageLinks(md: Markdown, slug: string): void {
  const render = md.renderer.rules.link_open ?? ((t, i, o, _e, self) => self.renderToken(t, i, o));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    const to = appHref(String(token.attrGet('href') ?? ''), `chapters/${slug}`);
    if (to) token.attrSet('href', to);
    return render(tokens, idx, options, env, self);
  };
}
