// The catalog (GET /api/codes) for unit tests: catalog.json is the server's answer to a county
// administrator, kept equal to it by the C++ test CatalogJson.TheWebsFixtureIsTheServersAnswer.
import type { CodeCatalog, CodeTableId, Level } from '../schemas';
import fixture from './catalog.json';

export const catalog = fixture as unknown as CodeCatalog;

// The catalog as an account acting at `levels` gets it.
export function actingAt(levels: Level[]): CodeCatalog {
  return { ...catalog, acts_at: levels };
}

// A code by its name, so tests hold no raw code numbers either.
export function code(table: CodeTableId, name: string): number {
  const e = catalog[table].entries.find((x) => x.name === name);
  if (!e) throw new Error(`no ${name} in ${table}`);
  return e.code;
}
