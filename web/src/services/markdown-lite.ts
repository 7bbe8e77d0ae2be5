// A tiny Markdown renderer for exercise tasks: headings, paragraphs, lists, fenced code, `code`, **bold**, *em*
// [links](…) and pipe tables. It builds lit templates, so every character of the text is escaped and no HTML passes through;
// markdown-it would cost the initial bundle more than the page budget allows. Anything else reads as plain text.
import { html, nothing, type TemplateResult } from 'lit';
import { chapterHref } from './route';

const INLINE = /(`[^`]+`|\*\*[^*]+\*\*|\*[^*]+\*|\[[^\]]+\]\([^)\s]+\))/;

function inline(text: string): (TemplateResult | string)[] {
  return text
    .split(INLINE)
    .filter(Boolean)
    .map((part) => {
      if (part.startsWith('`')) return html`<code>${part.slice(1, -1)}</code>`;
      if (part.startsWith('**')) return html`<strong>${part.slice(2, -2)}</strong>`;
      if (part.startsWith('*') && part.length > 2) return html`<em>${part.slice(1, -1)}</em>`;
      const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(part);
      // a task links its chapter by path on disk; in the app that is the chapter's route
      const chapter =
        link && /^(?:\.\.\/)+chapters\/([a-z0-9-]+)\/(?:README\.md)?(?:#([^/]+))?$/.exec(link[2]!);
      if (chapter) return html`<a href=${chapterHref(chapter[1]!, chapter[2])}>${link[1]}</a>`;
      // only web links otherwise: a `javascript:` URL stays text
      if (link && /^https?:/.test(link[2]!))
        return html`<a href=${link[2]!} target="_blank" rel="noopener">${link[1]}</a>`;
      return part;
    });
}

export function renderMarkdown(source: string): TemplateResult[] {
  const out: TemplateResult[] = [];
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let para: string[] = [];
  let list: { ordered: boolean; items: string[] } | undefined;
  const flush = () => {
    if (para.length) out.push(html`<p>${inline(para.join(' '))}</p>`);
    para = [];
    if (list) {
      const items = list.items.map((i) => html`<li>${inline(i)}</li>`);
      out.push(
        list.ordered
          ? html`<ol>
              ${items}
            </ol>`
          : html`<ul>
              ${items}
            </ul>`,
      );
    }
    list = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^(```|~~~)/.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      while (++i < lines.length && !lines[i]!.startsWith(fence[1]!)) code.push(lines[i]!);
      out.push(html`<pre><code>${code.join('\n')}</code></pre>`);
      continue;
    }
    if (line.startsWith('|')) {
      flush();
      const rows: string[][] = [];
      for (; i < lines.length && lines[i]!.startsWith('|'); i++) {
        // the delimiter row; an empty header row (`| | |`) has no dash and stays a row
        if (/^\|[\s|:-]+\|?$/.test(lines[i]!) && lines[i]!.includes('-')) continue;
        rows.push(
          lines[i]!.replace(/^\||\|$/g, '')
            .split('|')
            .map((c) => c.trim()),
        );
      }
      i--;
      const [head, ...body] = rows;
      out.push(
        html`<table>
          ${
            head?.some(Boolean)
              ? html`<thead>
                  <tr>
                    ${head.map((c) => html`<th>${inline(c)}</th>`)}
                  </tr>
                </thead>`
              : nothing
          }
          <tbody>
            ${body.map(
              (r) =>
                html`<tr>
                  ${r.map((c) => html`<td>${inline(c)}</td>`)}
                </tr>`,
            )}
          </tbody>
        </table>`,
      );
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^\s*([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      // the page's own title is the h1, so the task's headings start one level down
      const level = Math.min(6, heading[1]!.length + 1);
      const content = inline(heading[2]!);
      out.push(
        level === 2
          ? html`<h2>${content}</h2>`
          : level === 3
            ? html`<h3>${content}</h3>`
            : html`<h4>${content}</h4>`,
      );
    } else if (item) {
      const ordered = /\d/.test(item[1]!);
      if (para.length || (list && list.ordered !== ordered)) flush();
      (list ??= { ordered, items: [] }).items.push(item[2]!);
    } else if (!line.trim()) {
      flush();
    } else if (list && /^\s+/.test(line)) {
      list.items[list.items.length - 1] += ` ${line.trim()}`;
    } else {
      if (list) flush();
      para.push(line.trim());
    }
  }
  flush();
  return out.length ? out : [html`${nothing}`];
}
