import type { Compilable, CompiledQuery } from 'kysely';

const SLOT = Symbol('precompiled parameter');

interface Slot {
  readonly [SLOT]: string;
}

const isSlot = (value: unknown): value is Slot => typeof value === 'object' && value !== null && SLOT in value;

/**
 * A query that Kysely builds and compiles once, then runs with new values: `build` gets
 * `param(name)`, a stand-in for a value that the returned function fills from its
 * argument, every other value staying as built. For a small query on a hot path:
 * building and compiling the reader's liked / collected lookup cost Kysely more than
 * SQLite took to run it. A stand-in is one bound value, so not for `in` lists, whose
 * length is part of the SQL.
 *
 *   const byId = precompile<{ id: number }, Row>((param) => db.selectFrom('users').selectAll().where('id', '=', param('id')));
 *   const rows = (await db.executeQuery(byId({ id: 7 }))).rows;
 */
export function precompile<Params extends Record<string, unknown>, Row>(
  build: (param: <K extends keyof Params & string>(name: K) => Params[K]) => Compilable<Row>,
): (params: Params) => CompiledQuery<Row> {
  const compiled = build((name) => ({ [SLOT]: name }) as never).compile();
  const fill = compiled.parameters.map((value) => (isSlot(value) ? value[SLOT] : undefined));
  return (params) => ({ ...compiled, parameters: fill.map((name, i) => (name === undefined ? compiled.parameters[i] : params[name])) });
}
