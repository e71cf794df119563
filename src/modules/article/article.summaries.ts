import { Biz } from '../interactive/interactive.domain.js';
import type { InteractiveService } from '../interactive/interactive.service.js';
import type { UserService } from '../user/user.service.js';
import { abstractOf, type Article } from './article.domain.js';

/** A list of published articles as readers see it: abstract, tags, author and counters (PublishedSummaryData). */
export async function publishedSummaries(list: Article[], deps: { interactive: InteractiveService; users: UserService }) {
  const [names, counters] = await Promise.all([
    Promise.all(list.map((a) => deps.users.displayName(a.authorId))),
    deps.interactive.countersOf(Biz.article, list.map((a) => a.id)),
  ]);
  return list.map((a, i) => ({
    id: a.id,
    title: a.title,
    abstract: abstractOf(a.content),
    tags: a.tags,
    author: { id: a.authorId, name: names[i]! },
    ctime: a.ctime,
    utime: a.utime,
    ...counters[i]!,
  }));
}
