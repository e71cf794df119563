import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { buildContainer } from '../src/ioc/container.js';
import { packageRoot } from '../src/pkg/http/static-site.js';

/** Where the UI's typed API client finds the server's types (committed; a test checks it is current). */
export const API_TYPES_FILE = path.join(packageRoot(), 'web', 'src', 'api', 'schema.d.ts');

const HEADER = '/* Generated from the server\'s OpenAPI document by `npm run gen:api`; do not edit by hand. */\n\n';

/**
 * The server's OpenAPI document, built offline: the real app over a throw-away in-memory
 * database, never listening. The document comes from the route schemas, so nothing here
 * can drift from what the server validates.
 */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const config = loadConfig({
    WEBOOK_MODE: 'production',
    WEBOOK_DB: 'sqlite::memory:',
    WEBOOK_JWT_ACCESS_SECRET: 'openapi-generation-only-access-secret-0123',
    WEBOOK_JWT_REFRESH_SECRET: 'openapi-generation-only-refresh-secret-0123',
    WEBOOK_WEB_DIR: 'off',
    WEBOOK_CONSUMERS: 'false',
    LOG_LEVEL: 'silent',
  });
  const container = buildContainer(config);
  try {
    const app = await buildApp(container);
    await app.ready();
    const doc = app.swagger() as unknown as Record<string, unknown>;
    await app.close();
    return doc;
  } finally {
    await container.close();
  }
}

/** The TypeScript the UI imports: `paths` and `components` of the document. */
export async function apiTypesSource(): Promise<string> {
  const ast = await openapiTS(JSON.parse(JSON.stringify(await openApiDocument())));
  return HEADER + astToString(ast);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(API_TYPES_FILE, await apiTypesSource());
  console.log(`wrote ${path.relative(process.cwd(), API_TYPES_FILE)}`);
}
