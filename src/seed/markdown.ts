import type { Faker } from '@faker-js/faker';

const LANGS = ['ts', 'go', 'rust', 'sql', 'bash', 'python'] as const;
const TOPICS = ['Redis', 'Kafka', 'NATS', 'MySQL', 'PostgreSQL', 'Go', 'TypeScript', 'Rust', 'Kubernetes', 'gRPC', 'React', 'Linux', 'SQLite', 'Nginx', 'Docker', 'Prometheus'];

const SNIPPETS: Record<(typeof LANGS)[number], (f: Faker) => string> = {
  ts: (f) => `export async function ${f.word.verb()}${cap(f.word.noun())}(id: number) {\n  const row = await db.selectFrom('${f.word.noun()}s').selectAll().where('id', '=', id).executeTakeFirst();\n  return row ?? null;\n}`,
  go: (f) => `func (s *${cap(f.word.noun())}Service) ${cap(f.word.verb())}(ctx context.Context, id int64) error {\n\treturn s.repo.Update(ctx, id)\n}`,
  rust: (f) => `fn ${f.word.verb()}_${f.word.noun()}(items: &[u64]) -> u64 {\n    items.iter().sum()\n}`,
  sql: (f) => `SELECT id, title FROM ${f.word.noun()}s\nWHERE status = 2\nORDER BY utime DESC\nLIMIT 20;`,
  bash: (f) => `redis-cli --latency -h 127.0.0.1\nnats stream info ${f.word.noun().toUpperCase()}`,
  python: (f) => `def ${f.word.verb()}(${f.word.noun()}):\n    return sorted(${f.word.noun()}, key=len)`,
};

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A technical-looking title: a topic and a phrase. */
export function title(f: Faker): string {
  const topic = f.helpers.arrayElement(TOPICS);
  const phrase = f.hacker.phrase().replace(/[.!?]$/, '');
  return `${topic}: ${phrase}`.slice(0, 200);
}

/**
 * An article body in Markdown: sections with headings, paragraphs, lists, code and
 * quotes, about `targetChars` long (real articles range from a note to a long read).
 */
export function markdownBody(f: Faker, targetChars: number): string {
  const parts: string[] = [f.lorem.paragraph({ min: 2, max: 5 })];
  let size = parts[0]!.length;
  while (size < targetChars) {
    const block = (() => {
      switch (f.number.int({ min: 0, max: 6 })) {
        case 0:
          return `## ${cap(f.hacker.noun())} and ${f.hacker.noun()}`;
        case 1: {
          const lang = f.helpers.arrayElement(LANGS);
          return `\`\`\`${lang}\n${SNIPPETS[lang](f)}\n\`\`\``;
        }
        case 2:
          return Array.from({ length: f.number.int({ min: 2, max: 5 }) }, () => `- ${f.hacker.phrase()}`).join('\n');
        case 3:
          return `> ${f.lorem.sentence()}`;
        default:
          return `${f.lorem.paragraph({ min: 3, max: 8 })} Use \`${f.hacker.abbreviation()}\` with **${f.hacker.adjective()}** ${f.hacker.noun()}s.`;
      }
    })();
    parts.push(block);
    size += block.length + 2;
  }
  return parts.join('\n\n');
}
