import { useEffect } from 'react';
import { Link } from '../lib/router';

export function NotFound({ title = 'Page not found', text = 'The address may be mistyped, or the page has moved.' }: { title?: string; text?: string }) {
  useEffect(() => {
    document.title = `${title} · Webook`;
  }, [title]);
  return (
    <div className="container narrow">
      <div className="not-found" role="alert">
        <div className="not-found-code" aria-hidden="true">404</div>
        <h1>{title}</h1>
        <p className="muted">{text}</p>
        <Link to="/" className="btn btn-primary">Back to the home page</Link>
      </div>
    </div>
  );
}
