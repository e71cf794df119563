/** Dates and numbers the way a reader says them. */
const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });

export const formatDate = (ms: number) => dateFormat.format(new Date(ms));

/** "just now", "5 min ago", "3 h ago", "2 d ago", then the date. */
export function timeAgo(ms: number, now = Date.now()): string {
  const minutes = Math.floor((now - ms) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return days < 7 ? `${days} d ago` : formatDate(ms);
}

/** 1234 -> "1.2k", for counters in tight places. */
export function compact(n: number): string {
  if (n < 1000) return String(n);
  if (n < 999_500) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0).replace(/\.0$/, '')}k`; // 999,999 is "1M", not "1000k"
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`;
}

/** Server messages are lower-case fragments ("wrong email or password"): a sentence for people. */
export const sentence = (msg: string) => (msg ? msg[0]!.toUpperCase() + msg.slice(1) : msg);

/** Minutes to read, at a comfortable 250 words a minute. */
export const readingMinutes = (markdown: string) => Math.max(1, Math.round(markdown.split(/\s+/).filter(Boolean).length / 250));

/** A stable hue per author so avatars differ without images. */
export const hueOf = (id: number) => (id * 47) % 360;

/**
 * The server's abstract is the first characters of the Markdown source: shown in a card
 * it should read as prose, so markup (tags, fences, emphasis, link targets) is dropped.
 */
export function plainText(markdown: string): string {
  return markdown
    .replace(/<[^>]*>?/g, ' ') // HTML tags (also one cut off at the end)
    .replace(/!?\[([^\]]*)\]\([^)]*\)?/g, '$1') // links and images: keep the text
    .replace(/```\w*|(^|\s)[#>|]+/g, ' ') // fences, heading and quote marks, table bars
    .replace(/[`*~]+/g, '') // emphasis and code marks hug their words: drop them without a gap
    .replace(/\s+/g, ' ')
    .trim();
}
