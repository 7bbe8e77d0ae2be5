// Hash routes, so deep links work from a static file server: `#/`, `#/chapters/SLUG`, `#/chapters/SLUG/ANCHOR`
// (ANCHOR is a snippet or group id, or a heading's id), `#/exercises/ID`.
export type Route =
  | { page: 'list' }
  | { page: 'chapter'; slug: string; anchor: string | undefined }
  | { page: 'exercise'; id: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'chapters' && parts[1]) return { page: 'chapter', slug: parts[1], anchor: parts[2] };
  if (parts[0] === 'exercises' && parts[1]) return { page: 'exercise', id: parts[1] };
  return { page: 'list' };
}

export function exerciseHref(id: string): string {
  return `#/exercises/${encodeURIComponent(id)}`;
}

export function chapterHref(slug: string, anchor?: string): string {
  return `#/chapters/${encodeURIComponent(slug)}${anchor ? `/${encodeURIComponent(anchor)}` : ''}`;
}
