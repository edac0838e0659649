import { invalid, notFound } from '../../shared/domain-error';

/** Nova's limits for tags: 50 of at most 60 characters. */
export const MAX_TAGS = 50;
const TAG = /^[^\p{Cc},/]{1,60}$/u;

export type TagsChange = { add: readonly string[]; remove: readonly string[]; replace: boolean };

/** The tags after a change, in the order first given, each once (removing one that is not there: 404). */
export function tagsAfter(current: readonly string[], change: TagsChange): string[] {
  for (const tag of change.add)
    if (!TAG.test(tag))
      throw invalid('InvalidTag', 'A tag is 1 to 60 characters, without control characters, commas or slashes', [{ field: 'tags', message: tag }]);
  let next = change.replace ? [...change.add] : [...current, ...change.add];
  for (const tag of change.remove) {
    if (!next.includes(tag)) throw notFound('TagNotFound', `Server has no tag ${tag}`);
    next = next.filter((t) => t !== tag);
  }
  next = [...new Set(next)];
  if (next.length > MAX_TAGS) throw invalid('TagLimitExceeded', `At most ${MAX_TAGS} tags`, [{ field: 'tags', message: 'too many' }]);
  return next;
}

/** Two lists with the same items in the same order (tags, security groups). */
export const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((t, i) => b[i] === t);
