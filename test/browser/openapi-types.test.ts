import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, apiTypesSource } from '../../scripts/openapi.js';

/**
 * The UI's API types are generated from the server's OpenAPI document and committed (so
 * the UI type-checks and builds without a running server). A route or field changed on
 * the server without regenerating them would type-check against a stale contract.
 */
describe('the generated API types of the UI', () => {
  it('when compared with the server\'s current OpenAPI document, then they are identical (else run `npm run gen:api`)', async () => {
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    const current = await apiTypesSource();
    expect(committed === current, 'web/src/api/schema.d.ts is stale: run `npm run gen:api` and commit it').toBe(true);
  }, 60_000);
});
