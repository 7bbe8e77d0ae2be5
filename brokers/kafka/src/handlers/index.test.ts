// The API list ApiVersions advertises and the routes the connection dispatches on are the same set, with min=max
// for every API except ApiVersions (kafkajs picks min(its max, ours) and ignores min).
import { expect, it } from 'vitest';
import { apis } from '../protocol/registry';
import { routes } from './index';

it('routes exactly the advertised APIs, each pinned to one version', () => {
  expect([...routes.keys()].sort((a, b) => a - b)).toEqual(apis.map((a) => a.key).sort((a, b) => a - b));
  for (const a of apis) {
    expect(routes.get(a.key)?.api).toBe(a);
    if (a.name !== 'ApiVersions') expect([a.name, a.minVersion]).toEqual([a.name, a.maxVersion]);
  }
});
