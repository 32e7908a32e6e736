import { defineStore } from 'pinia';
import { api } from '../api';

export interface Me {
  username: string;
  role: 'admin' | 'officer' | 'inspector' | 'viewer';
  role_name: string;
  scope: string;
  scope_name: string;
  permissions: { write_households: boolean; manage_users: boolean; read_audit: boolean; run_checks: boolean; masked: boolean };
}

export const useSession = defineStore('session', {
  state: () => ({ me: null as Me | null, checked: false }),
  actions: {
    async load() {
      try {
        this.me = await api.get<Me>('/api/me');
      } catch {
        this.me = null;
      }
      this.checked = true;
    },
    async login(username: string, password: string) {
      this.me = await api.post<Me>('/api/login', { username, password });
      this.checked = true;
    },
    async logout() {
      try {
        await api.post('/api/logout');
      } finally {
        this.me = null;
      }
    },
  },
});
