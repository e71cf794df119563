import { useId, type InputHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface Common {
  label: string;
  /** The server's message for this field (data.fields), shown under it. */
  error?: string | undefined;
  hint?: string;
}

function Described({ id, error, hint }: { id: string; error?: string | undefined; hint?: string | undefined }) {
  if (error) return <p id={`${id}-msg`} className="field-error">{error}</p>;
  if (hint) return <p id={`${id}-msg`} className="field-hint">{hint}</p>;
  return null;
}

/** A labelled input whose error is tied to it for screen readers (aria-describedby). */
export function Field({ label, error, hint, ...input }: Common & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={error || hint ? `${id}-msg` : undefined} {...input} />
      <Described id={id} error={error} hint={hint} />
    </div>
  );
}

export function TextAreaField({ label, error, hint, ...area }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <textarea id={id} aria-invalid={error ? true : undefined} aria-describedby={error || hint ? `${id}-msg` : undefined} {...area} />
      <Described id={id} error={error} hint={hint} />
    </div>
  );
}
