import { Biz } from '../interactive/interactive.domain.js';
import type { InteractiveService } from '../interactive/interactive.service.js';
import type { UserService } from '../user/user.service.js';
import { abstractOf, type Article } from './article.domain.js';

/** Published articles as lists show them: abstract, tags and the author's display name. */
export async function articleSummaries(list: Article[], users: UserService) {
  const names = await Promise.all(list.map((a) => users.displayName(a.authorId)));
  return list.map((a, i) => ({
    id: a.id,
    title: a.title,
    abstract: abstractOf(a.content),
    tags: a.tags,
    author: { id: a.authorId, name: names[i]! },
    ctime: a.ctime,
    utime: a.utime,
  }));
}

/** A list of published articles as readers see it: the summaries and their counters (PublishedSummaryData). */
export async function publishedSummaries(list: Article[], deps: { interactive: InteractiveService; users: UserService }) {
  const [summaries, counters] = await Promise.all([
    articleSummaries(list, deps.users),
    deps.interactive.countersOf(Biz.article, list.map((a) => a.id)),
  ]);
  return summaries.map((summary, i) => ({ ...summary, ...counters[i]! }));
}
