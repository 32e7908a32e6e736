import { defineStore } from 'pinia';
import { api } from '../api';
import { i18n } from '../i18n';
import { codeName, inLang, langOf, type Lang } from '../rules';
import type { CodeCatalog, CodeEntry, CodeTableId, OrgUnit, Plan } from '../schemas';

// The language names are shown in: the workbench's locale (read inside a render, so a switch of
// language renders the names again).
export function currentLang(): Lang {
  const locale = i18n.global.locale as unknown as { value: string } | string;
  return langOf(typeof locale === 'string' ? locale : locale.value);
}

export type { CodeTable, OrgUnit, Plan, PlanMeasure } from '../schemas';

// The catalog (code tables and the procedures' rules, GET /api/codes), the plan and org units:
// read once per signed-in account (the router loads them after login; pages may ask again, which
// costs nothing). `forget` drops them at logout, since the catalog says what the account may do.
export const useReference = defineStore('reference', {
  state: () => ({ catalog: null as CodeCatalog | null, plan: null as Plan | null, units: {} as Record<string, OrgUnit[]>, loading: null as Promise<void> | null }),
  actions: {
    load(): Promise<void> {
      if (this.plan && this.catalog) return Promise.resolve();
      if (!this.loading) {
        this.loading = Promise.all([api.get<CodeCatalog>('/api/codes'), api.get<Plan>('/api/plan')])
          .then(([catalog, plan]) => {
            this.catalog = catalog;
            this.plan = plan;
          })
          .finally(() => {
            this.loading = null;
          });
      }
      return this.loading;
    },
    forget() {
      this.catalog = null;
      this.plan = null;
      this.units = {};
    },
    async children(parent: string): Promise<OrgUnit[]> {
      if (!this.units[parent]) this.units[parent] = (await api.get<{ items: OrgUnit[] }>('/api/org-units?parent=' + parent)).items;
      return this.units[parent];
    },
    // Loads the villages of the townships the codes lie in, so unitName can name them.
    async nameUnits(codes: string[]) {
      const parents = new Set(codes.filter((c) => c && c.length > 9).map((c) => c.slice(0, 9)));
      await Promise.all([...parents].map((p) => this.children(p).catch(() => [])));
    },
    // An org unit's name from what is loaded (townships from the plan); the code itself otherwise.
    unitName(code: string): string {
      for (const list of Object.values(this.units)) {
        const u = list.find((x) => x.code === code);
        if (u) return u.name;
      }
      if (this.plan && code === this.plan.county_code) return this.plan.county_name;
      return this.plan?.townships.find((t) => t.code === code)?.name ?? code;
    },
    // The entries of a code table (empty until loaded).
    entries(table: CodeTableId) {
      return this.catalog?.[table]?.entries ?? [];
    },
    // A code's name in the current language ('' for none, the number when the table lacks it).
    name(table: CodeTableId, code: number | null | undefined): string {
      return codeName(this.catalog, table, code, currentLang());
    },
    // An entry's name in the current language (for options of a select).
    label(e: CodeEntry): string {
      return inLang(e, currentLang()) ?? String(e.code);
    },
    measureName(n: number | null | undefined): string {
      if (!n) return '';
      return this.plan?.measures.find((m) => m.number === n)?.name ?? String(n);
    },
  },
});
