// Reads chapters/NN-slug/README.md and its snippet files into what the web app shows (design.md §3). The Markdown
// is rendered here with markdown-it; ```snippet and ```snippet-group fences become placeholders the web app
// upgrades to editors. A broken chapter or block is reported with its file and field; the rest still loads.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import {
  ChapterFrontMatter,
  durationMs,
  SnippetBlock,
  SnippetGroupBlock,
  type Chapter,
  type ChapterList,
  type ContentProblem,
  type Snippet,
  type SnippetGroup,
} from '@msgbook/protocol';
import { splitFrontMatter } from './front-matter';
import { headingIds, pageLinks } from './links';
import { DEFAULT_LIMITS } from '../config';

const SLUG = /^\d\d-[a-z0-9]+(?:-[a-z0-9]+)*$/;

export class ChapterStore {
  constructor(readonly chaptersDir: string) {}

  async list(): Promise<ChapterList> {
    const chapters: ChapterList['chapters'] = [];
    const problems: ContentProblem[] = [];
    for (const slug of await this.slugs()) {
      const loaded = await this.load(slug);
      if ('chapter' in loaded) {
        const { slug: s, title, summary, brokers } = loaded.chapter;
        chapters.push({ slug: s, title, summary, brokers });
      }
      problems.push(...loaded.problems);
    }
    return { chapters, problems };
  }

  async get(slug: string): Promise<Chapter | undefined> {
    if (!SLUG.test(slug)) return undefined;
    const loaded = await this.load(slug);
    return 'chapter' in loaded ? loaded.chapter : undefined;
  }

  /** Every chapter with its problems, for `msgbook verify`. */
  async all(): Promise<{ chapters: Chapter[]; problems: ContentProblem[] }> {
    const chapters: Chapter[] = [];
    const problems: ContentProblem[] = [];
    for (const slug of await this.slugs()) {
      const loaded = await this.load(slug);
      if ('chapter' in loaded) chapters.push(loaded.chapter);
      problems.push(...loaded.problems);
    }
    return { chapters, problems };
  }

  private async slugs(): Promise<string[]> {
    const entries = await readdir(this.chaptersDir, { withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isDirectory() && SLUG.test(e.name))
      .map((e) => e.name)
      .sort();
  }

  private async load(
    slug: string,
  ): Promise<{ chapter: Chapter; problems: ContentProblem[] } | { problems: ContentProblem[] }> {
    const dir = path.join(this.chaptersDir, slug);
    const readmePath = path.join(dir, 'README.md');
    const rel = path.join('chapters', slug, 'README.md');
    let text: string;
    try {
      text = await readFile(readmePath, 'utf8');
    } catch {
      return { problems: [{ path: rel, message: 'missing README.md' }] };
    }
    let front;
    let body: string;
    try {
      const split = splitFrontMatter(text);
      body = split.body;
      front = ChapterFrontMatter.safeParse(split.data);
    } catch (err) {
      return {
        problems: [{ path: rel, message: `front matter is not valid YAML: ${(err as Error).message}` }],
      };
    }
    if (!front.success)
      return { problems: [{ path: rel, message: `front matter: ${describe(front.error)}` }] };

    const problems: ContentProblem[] = [];
    const snippets: Snippet[] = [];
    const groups: SnippetGroup[] = [];
    const files = new Map<string, string>();
    for (const name of await readdir(path.join(dir, 'snippets')).catch(() => [] as string[])) {
      if (name.endsWith('.ts'))
        files.set(`snippets/${name}`, await readFile(path.join(dir, 'snippets', name), 'utf8'));
    }
    const addSnippet = (block: SnippetBlock): string | undefined => {
      const code = files.get(block.file);
      if (code === undefined) {
        problems.push({ path: rel, message: `snippet ${block.file}: file not found in chapters/${slug}/` });
        return undefined;
      }
      const base = path.basename(block.file, '.ts');
      let id = base;
      for (let n = 2; snippets.some((s) => s.id === id); n++) id = `${base}-${n}`;
      const timeLimitMs = Math.min(
        block.timeLimit === undefined ? DEFAULT_LIMITS.defaultTimeLimitMs : durationMs(block.timeLimit),
        DEFAULT_LIMITS.maxTimeLimitMs,
      );
      snippets.push({
        id,
        file: block.file,
        title: block.title,
        code,
        timeLimitMs,
        expect: block.expect,
        targets: block.targets,
      });
      return id;
    };

    const md = new MarkdownIt({ html: false, linkify: true, typographer: true });
    headingIds(md);
    pageLinks(md, slug);
    const fence = md.renderer.rules.fence!;
    md.renderer.rules.fence = (tokens, idx, options, env, self) => {
      const token = tokens[idx]!;
      const info = token.info.trim();
      if (info !== 'snippet' && info !== 'snippet-group') return fence(tokens, idx, options, env, self);
      const where = `${info} block at line ${(token.map?.[0] ?? 0) + 1 + countLines(text) - countLines(body)}`;
      let yaml: unknown;
      try {
        yaml = parseYaml(token.content);
      } catch (err) {
        return problem(problems, rel, `${where}: not valid YAML: ${(err as Error).message}`);
      }
      if (info === 'snippet') {
        const block = SnippetBlock.safeParse(yaml);
        if (!block.success) return problem(problems, rel, `${where}: ${describe(block.error)}`);
        const id = addSnippet(block.data);
        return id
          ? `<mb-snippet snippet-id="${id}"></mb-snippet>\n`
          : problem(problems, rel, `${where}: ${block.data.file} not found`);
      }
      const group = SnippetGroupBlock.safeParse(yaml);
      if (!group.success) return problem(problems, rel, `${where}: ${describe(group.error)}`);
      if (groups.some((g) => g.id === group.data.id))
        return problem(problems, rel, `${where}: duplicate group id ${group.data.id}`);
      const ids = group.data.snippets.map(addSnippet);
      if (ids.some((i) => i === undefined))
        return problem(problems, rel, `${where}: a file of the group is missing`);
      groups.push({ id: group.data.id, title: group.data.title, snippetIds: ids as string[] });
      return `<mb-snippet-group group-id="${group.data.id}"></mb-snippet-group>\n`;
    };
    const image = md.renderer.rules.image!;
    md.renderer.rules.image = (tokens, idx, options, env, self) => {
      const token = tokens[idx]!;
      const src = String(token.attrGet('src') ?? '');
      if (!/^[a-z]+:|^\//i.test(src))
        token.attrSet('src', `/content/chapters/${slug}/${src.replace(/^\.\//, '')}`);
      return image(tokens, idx, options, env, self);
    };
    const html = md.render(body);
    return {
      chapter: { slug, ...front.data, html, snippets, groups },
      problems,
    };
  }
}

function problem(problems: ContentProblem[], file: string, message: string): string {
  problems.push({ path: file, message });
  return `<div class="mb-content-error" role="alert">${escapeHtml(`${file}: ${message}`)}</div>\n`;
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(block)'}: ${i.message}`).join('; ');
}

function countLines(s: string): number {
  return s.split('\n').length;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
