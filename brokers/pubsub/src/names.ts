// Resource names and their rules: `projects/{project}/{kind}/{id}` where an id starts with a letter, is 3-255
// characters of `[-A-Za-z0-9_.~+%]` and does not start with `goog` (the API's rule; the official emulator 0.8.20
// answers INVALID_ARGUMENT "Invalid [topics] name: (name=…)", observed).
import { invalidArgument } from './errors';

export type ResourceKind = 'topics' | 'subscriptions' | 'snapshots';

const ID = /^[A-Za-z][-A-Za-z0-9_.~+%]{2,254}$/;
const PROJECT = /^[^/]+$/;

export interface ResourceName {
  project: string;
  id: string;
}

export function parseName(kind: ResourceKind, name: string): ResourceName {
  const parts = name.split('/');
  const [p, project, k, id] = parts;
  if (
    parts.length !== 4 ||
    p !== 'projects' ||
    !project ||
    !PROJECT.test(project) ||
    k !== kind ||
    !id ||
    !ID.test(id) ||
    id.toLowerCase().startsWith('goog')
  ) {
    throw invalidArgument(`Invalid [${kind}] name: (name=${name})`);
  }
  return { project, id };
}

/** The project prefix of list requests: `projects/{p}`. */
export function parseProject(project: string): string {
  const m = /^projects\/([^/]+)$/.exec(project);
  if (!m?.[1]) throw invalidArgument(`Invalid [projects] name: (name=${project})`);
  return m[1];
}

/** The sentinel a subscription's topic becomes when its topic is deleted (API reference, Subscription.topic). */
export const DELETED_TOPIC = '_deleted-topic_';
