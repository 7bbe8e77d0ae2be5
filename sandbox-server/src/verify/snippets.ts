// Holds every chapter snippet to the `expect` it declares (design.md §3), on one target: standalone snippets one at
// a time (timings stay honest on a loaded machine), a group's snippets together, started in order. Each snippet
// or group gets a fresh broker session, so none depends on what another left behind.
import { unmetExpectation, type Chapter, type Snippet, type Target } from '@msgbook/protocol';
import type { BrokerHost } from '../brokers/host';
import type { ChapterStore } from '../content/chapters';
import { launch } from '../runner/launch';
import { DEFAULT_LIMITS } from '../config';

export interface SnippetVerdict {
  chapter: string;
  snippet: string;
  ok: boolean;
  skipped?: string;
  why?: string;
  output: string;
  durationMs: number;
}

export async function verifySnippets(
  store: ChapterStore,
  opts: { target: Target; host?: BrokerHost; only?: string; onVerdict?: (v: SnippetVerdict) => void },
): Promise<{ verdicts: SnippetVerdict[]; problems: { path: string; message: string }[] }> {
  const { chapters, problems } = await store.all();
  const verdicts: SnippetVerdict[] = [];
  const report = (v: SnippetVerdict) => {
    verdicts.push(v);
    opts.onVerdict?.(v);
  };
  let session = 0;
  for (const chapter of chapters) {
    if (opts.only && chapter.slug !== opts.only) continue;
    const grouped = new Set(chapter.groups.flatMap((g) => g.snippetIds));
    const units: Snippet[][] = [];
    for (const s of chapter.snippets) if (!grouped.has(s.id)) units.push([s]);
    for (const g of chapter.groups)
      units.push(g.snippetIds.map((id) => chapter.snippets.find((s) => s.id === id)!));
    for (const unit of units) {
      const sessionId = `verify-${process.pid}-${++session}`;
      const results = await Promise.all(unit.map((s, i) => verifyOne(chapter, s, opts, sessionId, i * 150)));
      results.forEach(report);
      await opts.host?.release(sessionId).catch(() => undefined);
    }
  }
  return { verdicts, problems };
}

async function verifyOne(
  chapter: Chapter,
  snippet: Snippet,
  opts: { target: Target; host?: BrokerHost },
  sessionId: string,
  delayMs: number,
): Promise<SnippetVerdict> {
  const base = { chapter: chapter.slug, snippet: snippet.id };
  if (!snippet.targets.includes(opts.target)) {
    return { ...base, ok: true, skipped: `not declared for ${opts.target}`, output: '', durationMs: 0 };
  }
  // Started in order, as the web app starts a group.
  if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
  let output = '';
  const run = await launch(
    { sessionId, target: opts.target, limits: DEFAULT_LIMITS, host: opts.host },
    [{ name: snippet.file.replace(/^snippets\//, ''), code: snippet.code }],
    snippet.timeLimitMs,
    (stream, data) => {
      if (stream !== 'system') output += data;
    },
  );
  const outcome = await run.done;
  const why = unmetExpectation(snippet.expect, { code: outcome.code, reason: outcome.reason, output });
  return {
    ...base,
    ok: why === undefined,
    ...(why ? { why: outcome.message ? `${why}: ${outcome.message}` : why } : {}),
    output,
    durationMs: outcome.durationMs,
  };
}
