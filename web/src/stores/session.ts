import { defineStore } from 'pinia';
import { api } from '../api';
import type { Me } from '../schemas';
import { useReference } from './reference';

export type { Me } from '../schemas';

export const useSession = defineStore('session', {
  // offline: the last check could not reach the server (no network), which is not "logged out":
  // pages that work offline (the field page) open anyway.
  state: () => ({ me: null as Me | null, checked: false, offline: false }),
  actions: {
    async load() {
      try {
        this.me = await api.get<Me>('/api/me');
        this.offline = false;
      } catch (e) {
        this.me = null;
        this.offline = (e as { code?: string })?.code === 'network';
      }
      this.checked = true;
    },
    async login(username: string, password: string) {
      useReference().forget();  // the catalog says what this account may do
      this.me = await api.post<Me>('/api/login', { username, password });
      this.checked = true;
    },
    async logout() {
      try {
        await api.post('/api/logout');
      } finally {
        this.me = null;
        useReference().forget();
      }
    },
  },
});
