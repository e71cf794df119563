import type { ReactNode } from 'react';
import { ApiError } from '../api/client';
import { sentence } from '../lib/format';
import { Icon, type IconName } from './Icon';

/** A spinner with words, announced to screen readers; `block` centres it in the page. */
export function Loading({ label = 'Loading…', block = true }: { label?: string; block?: boolean }) {
  return (
    <div className={block ? 'loading loading-block' : 'loading'} role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function EmptyState({ icon = 'file', title, children, action }: { icon?: IconName; title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty">
      <div className="empty-icon">
        <Icon name={icon} size={28} />
      </div>
      <h2 className="empty-title">{title}</h2>
      {children && <p className="empty-text">{children}</p>}
      {action && <div className="empty-action">{action}</div>}
    </div>
  );
}

/** The message of any error, in a sentence a person can act on. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return sentence(error.message);
  return 'Something went wrong. Please try again.';
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div className="empty empty-error" role="alert">
      <div className="empty-icon">
        <Icon name="alert" size={28} />
      </div>
      <h2 className="empty-title">We could not load this</h2>
      <p className="empty-text">{messageOf(error)}</p>
      {onRetry && (
        <div className="empty-action">
          <button type="button" className="btn" onClick={onRetry}>
            Try again
          </button>
        </div>
      )}
    </div>
  );
}

/** An error about the whole form (not one field), shown above its buttons. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div className="form-error" role="alert">
      <Icon name="alert" size={16} />
      <span>{messageOf(error)}</span>
    </div>
  );
}
