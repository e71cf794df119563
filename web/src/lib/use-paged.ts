import { useState, type DependencyList } from 'react';
import { useAsync } from './use-async';

export interface Paged<T> {
  items: T[];
  /** Where the next page starts (a cursor or an offset, as the route wants it); null: no more. */
  next: string | null;
}

/**
 * A list read a page at a time: the first page loads with the inputs, loadMore() appends
 * the next one, reload() starts over (after a post or a delete).
 */
export function usePaged<T>(load: (from?: string) => Promise<Paged<T>>, deps: DependencyList) {
  const first = useAsync(() => load(), deps);
  const [more, setMore] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  const next = first.data?.next ?? null;
  const loadMore = async () => {
    if (next === null) return;
    setMore({ busy: true });
    try {
      const page = await load(next);
      first.setData((old) => ({ items: [...(old?.items ?? []), ...page.items], next: page.next }));
      setMore({ busy: false });
    } catch (error) {
      setMore({ busy: false, error });
    }
  };
  return { ...first, more, loadMore, hasMore: next !== null };
}
