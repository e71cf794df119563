import { hueOf } from '../lib/format';

/** A coloured initial: every author recognisable at a glance without uploading a picture. */
export function Avatar({ id, name, size = 36 }: { id: number; name: string; size?: number }) {
  const initial = (name.trim()[0] ?? '?').toUpperCase();
  return (
    <span
      className="avatar"
      aria-hidden="true"
      style={{ width: size, height: size, fontSize: size * 0.42, background: `hsl(${hueOf(id)} 62% 46%)` }}
    >
      {initial}
    </span>
  );
}
