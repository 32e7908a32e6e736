import { defineStore } from 'pinia';
import { api } from '../api';

export interface CodeTable {
  label: string;
  entries: { code: number; name: string }[];
}
export interface PlanMeasure {
  number: number;
  name: string;
  name_en: string;
  battle: string;
  target_households: number | null;
  target_persons: number | null;
}
export interface Plan {
  county_code: string;
  county_name: string;
  start_year?: number;
  end_year: number;
  poverty_lines?: { year: number; yuan: string }[];
  target_persons: number;
  battles: { id: string; name: string }[];
  measures: PlanMeasure[];
  townships: { code: string; name: string; exit_targets: Record<string, number> }[];
}
export interface OrgUnit {
  code: string;
  parent: string;
  level: string;
  name: string;
  has_children: boolean;
}

// Code tables, the plan and org units: read once per session.
export const useReference = defineStore('reference', {
  state: () => ({ codes: {} as Record<string, CodeTable>, plan: null as Plan | null, units: {} as Record<string, OrgUnit[]> }),
  actions: {
    async load() {
      if (this.plan) return;
      const [codes, plan] = await Promise.all([api.get<Record<string, CodeTable>>('/api/codes'), api.get<Plan>('/api/plan')]);
      this.codes = codes;
      this.plan = plan;
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
    name(table: string, code: number | null | undefined): string {
      if (code === null || code === undefined) return '';
      return this.codes[table]?.entries.find((e) => e.code === code)?.name ?? String(code);
    },
    measureName(n: number | null | undefined): string {
      if (!n) return '';
      return this.plan?.measures.find((m) => m.number === n)?.name ?? String(n);
    },
  },
});
