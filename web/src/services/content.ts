// Reads chapters and exercises from the server's HTTP API (design.md §3) and validates them with the shared schemas,
// so a server that drifts from the contract shows a clear error in the page instead of a half-rendered chapter.
import { Chapter, ChapterList } from '@msgbook/protocol/content';
import { Exercise, ExerciseList } from '@msgbook/protocol/exercise';
import { GradeStart, type SourceFile } from '@msgbook/protocol/messages';
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

export function fetchExerciseList(headers: Record<string, string>): Promise<ExerciseList> {
  return getJson('api/exercises', ExerciseList, headers);
}

export function fetchExercise(id: string, headers: Record<string, string>): Promise<Exercise> {
  return getJson(`api/exercises/${encodeURIComponent(id)}`, Exercise, headers);
}

/** A solution's files have the shape of a submission's, so the grading message's schema checks them. */
const Solution = GradeStart.pick({ files: true });

export async function fetchSolution(id: string, headers: Record<string, string>): Promise<SourceFile[]> {
  return (await getJson(`api/exercises/${encodeURIComponent(id)}/solution`, Solution, headers)).files;
}
