import type { Compilable, CompiledQuery } from 'kysely';

const SLOT = Symbol('precompiled parameter');

interface Slot<Key> {
  readonly [SLOT]: Key;
}

const isSlot = <Key>(value: unknown): value is Slot<Key> => typeof value === 'object' && value !== null && SLOT in value;

/**
 * The shared core: builds and compiles once with a stand-in per `param(key)`, and returns
 * a function that fills each stand-in with `valueOf(key)`, every other value as built.
 */
function compileWithSlots<Key, Row>(build: (param: (key: Key) => never) => Compilable<Row>): (valueOf: (key: Key) => unknown) => CompiledQuery<Row> {
  const compiled = build((key) => ({ [SLOT]: key }) as never).compile();
  const slots = compiled.parameters.map((value) => (isSlot<Key>(value) ? value : undefined));
  return (valueOf) => ({ ...compiled, parameters: slots.map((slot, i) => (slot ? valueOf(slot[SLOT]) : compiled.parameters[i])) });
}

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
  const run = compileWithSlots<keyof Params & string, Row>(build as (param: (name: keyof Params & string) => never) => Compilable<Row>);
  return (params) => run((name) => params[name]);
}

/**
 * `precompile` with numbered stand-ins: `param(i)` is filled with `values[i]`. For a
 * statement of hundreds of values (the read counter's multi-row INSERT binds 1,750), whose
 * values come as an array: a record keyed by a name per value cost more to build and
 * read than the statement's own encoding.
 */
export function precompileIndexed<Row>(build: (param: (index: number) => never) => Compilable<Row>): (values: readonly unknown[]) => CompiledQuery<Row> {
  const run = compileWithSlots<number, Row>(build);
  return (values) => run((index) => values[index]);
}
