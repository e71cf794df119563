import { createContext, useCallback, useContext, useEffect, useMemo, useState, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

/**
 * A small history-API router: the UI has a dozen pages, so a path pattern table and
 * <Link> are all it needs. Page paths never start with a segment the API owns
 * (users, articles, collections, docs...): the server answers those itself.
 */
interface Location {
  path: string;
  search: URLSearchParams;
  /** Changes on every navigation: pages keyed by it start fresh even when the path is the same. */
  key: number;
}

interface RouterValue {
  location: Location;
  /** `force`: leave without asking the leave guards (the page just saved its work). */
  navigate(to: string, opts?: { replace?: boolean; force?: boolean }): void;
}

const RouterContext = createContext<RouterValue | null>(null);

let navigations = 0;
const current = (): Location => ({ path: window.location.pathname, search: new URLSearchParams(window.location.search), key: ++navigations });

/** The address of the page on screen: a back button the user takes back (useLeaveGuard) puts it back. One per window. */
let shownAddress = window.location.pathname + window.location.search;

/** Changes the address without a navigation (e.g. a new draft got its id): the page stays as it is. */
export const replaceAddress = (to: string) => {
  window.history.replaceState(null, '', to);
  shownAddress = to;
};

/** The questions of the pages that would lose work if left now (useLeaveGuard); one set per window, like its history. */
const leaveQuestions = new Set<{ question: string }>();

/** True when nothing would be lost, or the user agreed to every question. */
export const confirmLeave = (): boolean => [...leaveQuestions].every(({ question }) => window.confirm(question));

/**
 * While `question` is set, leaving the page asks it first: a link or any other navigation
 * inside the UI, the browser's back button, and closing or reloading the tab (there the
 * browser shows its own words).
 */
export function useLeaveGuard(question: string | null) {
  useEffect(() => {
    if (question === null) return;
    const entry = { question };
    leaveQuestions.add(entry);
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => {
      leaveQuestions.delete(entry);
      window.removeEventListener('beforeunload', warn);
    };
  }, [question]);
}

export function RouterProvider({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const onPop = () => {
      if (!confirmLeave()) {
        window.history.pushState(null, '', shownAddress);
        return;
      }
      shownAddress = window.location.pathname + window.location.search;
      setLocation(current());
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string, opts: { replace?: boolean; force?: boolean } = {}) => {
    if (to === window.location.pathname + window.location.search) return;
    if (!opts.force && !confirmLeave()) return;
    shownAddress = to;
    window.history[opts.replace ? 'replaceState' : 'pushState'](null, '', to);
    setLocation(current());
    window.scrollTo(0, 0);
  }, []);
  const value = useMemo(() => ({ location, navigate }), [location, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error('useRouter outside RouterProvider');
  return value;
}

/** `/post/:id` against `/post/12` -> { id: '12' }; null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const actual = decodeURIComponent(got[i]!);
    if (part.startsWith(':')) params[part.slice(1)] = actual;
    else if (part !== actual) return null;
  }
  return params;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string };

/** An ordinary link (middle-click, copy address work) that navigates without a reload. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const { navigate } = useRouter();
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}
