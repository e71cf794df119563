import { ArticleStatus } from '../api/types';

const LABELS: Record<number, { text: string; tone: string }> = {
  [ArticleStatus.draft]: { text: 'Draft', tone: 'neutral' },
  [ArticleStatus.published]: { text: 'Published', tone: 'success' },
  [ArticleStatus.private]: { text: 'Withdrawn', tone: 'warning' },
};

export function StatusBadge({ status }: { status: number }) {
  const label = LABELS[status] ?? { text: 'Unknown', tone: 'neutral' };
  return <span className={`badge badge-${label.tone}`}>{label.text}</span>;
}
