import type { ReactNode } from 'react';
import { Layout } from './components/Layout';
import { matchPath, useRouter } from './lib/router';
import { ArticlePage } from './pages/ArticlePage';
import { CollectionPage, Collections } from './pages/Collections';
import { Editor } from './pages/Editor';
import { Home } from './pages/Home';
import { Login } from './pages/Login';
import { LoginSms } from './pages/LoginSms';
import { MyArticles } from './pages/MyArticles';
import { NotFound } from './pages/NotFound';
import { Profile } from './pages/Profile';
import { Search, TagPage } from './pages/Search';
import { Notifications } from './pages/Feed';
import { Signup } from './pages/Signup';

/**
 * Every page of the UI. First segments must stay clear of the API's (users, articles,
 * collections, docs, ...): the server sends those to the API, not to this app.
 */
const ROUTES: [string, (p: Record<string, string>) => ReactNode][] = [
  ['/', () => <Home />],
  ['/login', () => <Login />],
  ['/login/sms', () => <LoginSms />],
  ['/signup', () => <Signup />],
  ['/post/:id', (p) => <ArticlePage id={p.id!} />],
  ['/write', () => <Editor />],
  ['/write/:id', (p) => <Editor id={p.id!} />],
  ['/creator', () => <MyArticles />],
  ['/me', () => <Profile />],
  ['/bookmarks', () => <Collections />],
  ['/bookmarks/:id', (p) => <CollectionPage id={p.id!} />],
  ['/notifications', () => <Notifications />],
  ['/find', () => <Search />], // not /search: that path is the API's
  ['/tag/:name', (p) => <TagPage tag={p.name!} />],
];

export function App() {
  const { location } = useRouter();
  let page: ReactNode = <NotFound />;
  for (const [pattern, render] of ROUTES) {
    const params = matchPath(pattern, location.path);
    if (params) {
      page = render(params);
      break;
    }
  }
  // Keyed by navigation: every visit starts the page fresh (no state leaks between two articles).
  return <Layout><div key={location.key}>{page}</div></Layout>;
}
