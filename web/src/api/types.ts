import type { paths } from './schema';

/** Shapes of the answers, named once, read from the generated OpenAPI types. */
type Data<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': { data: infer D } } } };
}
  ? D
  : never;

export type Profile = Data<'/users/profile', 'get'>;
export type MyArticleSummary = Data<'/articles/list', 'post'>[number];
export type MyArticle = Data<'/articles/detail/{id}', 'get'>;
export type PublishedArticle = Data<'/articles/pub/{id}', 'get'>;
export type PublishedSummary = Data<'/articles/pub/newest', 'get'>[number];
export type Collection = Data<'/collections/list', 'get'>[number];
export type CollectedArticle = Data<'/collections/{id}/articles', 'get'>[number];
export type CommentData = Data<'/comments/list', 'get'>['items'][number];
export type FeedEntry = Data<'/feed', 'get'>['items'][number];

/** Article status as the server numbers it. */
export const ArticleStatus = { draft: 1, published: 2, private: 3 } as const;
