import { Link } from '../lib/router';

export const tagPath = (tag: string) => `/tag/${encodeURIComponent(tag)}`;

export function Tags({ tags }: { tags: string[] }) {
  if (tags.length === 0) return null;
  return (
    <ul className="tags" aria-label="Tags">
      {tags.map((t) => (
        <li key={t}><Link className="tag" to={tagPath(t)}>#{t}</Link></li>
      ))}
    </ul>
  );
}
