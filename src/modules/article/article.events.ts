/** Published by the reader detail route for every read; counted in batches by interactive. */
export const ARTICLE_READ = 'article.read';

export interface ArticleReadEvent {
  aid: number;
  /** 0 for an anonymous reader. */
  uid: number;
  at: number;
}
