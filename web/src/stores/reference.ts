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
  end_year: number;
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
