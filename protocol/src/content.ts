// What the server reads from chapters/ and sends to the web app over HTTP (design.md §3).
// The snippet block schema validates the YAML of ```snippet and ```snippet-group fences.
import { z } from 'zod';
import { BrokerKind, Slug, Target } from './common';

/** `10s`, `1500ms`, `2m`, or a number of milliseconds. */
export const Duration = z.union([
  z.number().int().positive(),
  z.string().regex(/^\d+(\.\d+)?(ms|s|m)$/, 'a duration like 10s, 1500ms or 2m'),
]);
export function durationMs(d: z.infer<typeof Duration>): number {
  if (typeof d === 'number') return d;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(d)!;
  const n = Number(m[1]);
  return Math.round(m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000);
}

/** What `msgbook verify` holds a snippet to. */
export const Expect = z.union(
  [
    z
      .object({
        exit: z.union([z.number().int().min(0).max(255), z.literal('nonzero')]),
        output: z.string().optional(),
      })
      .strict(),
    z
      .object({
        stopped: z.enum(['time-limit', 'memory-limit', 'output-limit']),
        output: z.string().optional(),
      })
      .strict(),
  ],
  {
    error:
      'expect is { exit: 0..255 or nonzero, output?: regex } or { stopped: time-limit|memory-limit|output-limit }',
  },
);
export type Expect = z.infer<typeof Expect>;

export const SnippetBlock = z
  .object({
    file: z
      .string()
      .regex(/^snippets\/[A-Za-z0-9._-]+\.ts$/, 'a file under snippets/, e.g. snippets/chain.ts'),
    title: z.string().min(1).max(200),
    expect: Expect,
    timeLimit: Duration.optional(),
    targets: z.array(Target).min(1).default(['embedded', 'real']),
  })
  .strict();
export type SnippetBlock = z.infer<typeof SnippetBlock>;

export const SnippetGroupBlock = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string().min(1).max(200),
    snippets: z.array(SnippetBlock).min(2).max(8),
  })
  .strict();
export type SnippetGroupBlock = z.infer<typeof SnippetGroupBlock>;

export const ChapterFrontMatter = z
  .object({
    title: z.string().min(1),
    summary: z.string().min(1),
    brokers: z.array(BrokerKind).default([]),
  })
  .strict();

/** One runnable snippet as the web app sees it: the id is unique within its chapter and used in deep links. */
export const Snippet = z.object({
  id: z.string(),
  file: z.string(),
  title: z.string(),
  code: z.string(),
  timeLimitMs: z.number().int().positive(),
  expect: Expect,
  targets: z.array(Target),
});
export type Snippet = z.infer<typeof Snippet>;

export const SnippetGroup = z.object({ id: z.string(), title: z.string(), snippetIds: z.array(z.string()) });
export type SnippetGroup = z.infer<typeof SnippetGroup>;

export const ChapterSummary = z.object({
  slug: Slug,
  title: z.string(),
  summary: z.string(),
  brokers: z.array(BrokerKind),
});
export type ChapterSummary = z.infer<typeof ChapterSummary>;

/** A broken chapter is listed with its error so the rest of the workbook still loads. */
export const ContentProblem = z.object({ path: z.string(), message: z.string() });
export type ContentProblem = z.infer<typeof ContentProblem>;

export const ChapterList = z.object({ chapters: z.array(ChapterSummary), problems: z.array(ContentProblem) });
export type ChapterList = z.infer<typeof ChapterList>;

/** `html` holds `<mb-snippet snippet-id="…">` and `<mb-snippet-group group-id="…">` placeholders. */
export const Chapter = ChapterSummary.extend({
  html: z.string(),
  snippets: z.array(Snippet),
  groups: z.array(SnippetGroup),
});
export type Chapter = z.infer<typeof Chapter>;
