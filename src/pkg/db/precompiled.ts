import type { Compilable, CompiledQuery } from 'kysely';

const SLOT = Symbol('precompiled parameter');

interface Slot {
  readonly [SLOT]: string | number;
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
  const fill = compiled.parameters.map((value) => (isSlot(value) ? (value[SLOT] as string) : undefined));
  return (params) => ({ ...compiled, parameters: fill.map((name, i) => (name === undefined ? compiled.parameters[i] : params[name])) });
}

/**
 * `precompile` with numbered stand-ins: `param(i)` is filled with `values[i]`. For a
 * statement of hundreds of values (the read counter's multi-row INSERT binds 1,750), whose
 * values come as an array: a record keyed by a name per value cost more to build and
 * read than the statement's own encoding.
 */
export function precompileIndexed<Row>(build: (param: (index: number) => never) => Compilable<Row>): (values: readonly unknown[]) => CompiledQuery<Row> {
  const compiled = build((index) => ({ [SLOT]: index }) as never).compile();
  const fill = compiled.parameters.map((value) => (isSlot(value) ? (value[SLOT] as number) : -1));
  return (values) => ({ ...compiled, parameters: fill.map((index, i) => (index < 0 ? compiled.parameters[i] : values[index])) });
}
