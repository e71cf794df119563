/**
 * First path segments the API owns: in `npm run dev` Vite forwards them to the server.
 * test/browser/static-site.http.test.ts fails when a documented API route is missing here.
 */
export const API_PREFIXES = ['users', 'articles', 'collections', 'comments', 'follows', 'feed', 'tags', 'search', 'oauth2', 'api', 'docs', 'healthz', 'readyz', 'metrics'];
