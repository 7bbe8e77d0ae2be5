// Reads chapters from the server's HTTP API (design.md §3) and validates them with the shared schemas,
// so a server that drifts from the contract shows a clear error in the page instead of a half-rendered chapter.
import { Chapter, ChapterList } from '@msgbook/protocol/content';
import type { z } from 'zod';

export class ContentError extends Error {}

async function getJson<T>(path: string, schema: z.ZodType<T>, headers: Record<string, string>): Promise<T> {
  const res = await fetch(new URL(path, location.href), { headers });
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const reason = (body as { error?: unknown } | undefined)?.error;
    throw new ContentError(typeof reason === 'string' ? reason : `${res.status} ${res.statusText}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ContentError(`the server sent an unexpected ${path} response`);
  return parsed.data;
}

export function fetchChapterList(headers: Record<string, string>): Promise<ChapterList> {
  return getJson('api/chapters', ChapterList, headers);
}

export function fetchChapter(slug: string, headers: Record<string, string>): Promise<Chapter> {
  return getJson(`api/chapters/${encodeURIComponent(slug)}`, Chapter, headers);
}
