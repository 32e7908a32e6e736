import { createRouter, createWebHistory } from 'vue-router';
import { useSession } from './stores/session';
import { useReference } from './stores/reference';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue') },
    { path: '/', name: 'map', component: () => import('./pages/BattleMap.vue') },
    { path: '/households', name: 'households', component: () => import('./pages/HouseholdList.vue') },
    { path: '/households/:code', name: 'household', component: () => import('./pages/HouseholdPage.vue') },
    { path: '/households/:code/plan', name: 'household-plan', component: () => import('./pages/PlanPage.vue') },
    { path: '/measures', name: 'measures', component: () => import('./pages/MeasuresPage.vue') },
    { path: '/import', name: 'import', component: () => import('./pages/ImportPage.vue') },
    { path: '/quality', name: 'quality', component: () => import('./pages/QualityPage.vue') },
    { path: '/users', name: 'users', component: () => import('./pages/UsersPage.vue') },
    { path: '/procedures', name: 'procedures', component: () => import('./pages/ProceduresPage.vue') },
    { path: '/procedures/new', name: 'new-identification', component: () => import('./pages/NewIdentificationPage.vue') },
    { path: '/procedures/:id(\\d+)', name: 'procedure', component: () => import('./pages/ProcedureCasePage.vue') },
    { path: '/exit-candidates', name: 'exit-candidates', component: () => import('./pages/ExitCandidatesPage.vue') },
    { path: '/adjustments/:year(\\d{4})?', name: 'adjustments', component: () => import('./pages/AdjustmentPage.vue') },
    { path: '/incidence', name: 'incidence', component: () => import('./pages/IncidencePage.vue') },
    { path: '/evaluations', name: 'evaluations', component: () => import('./pages/EvaluationsPage.vue') },
    { path: '/evaluations/:id(\\d+)', name: 'evaluation', component: () => import('./pages/EvaluationPage.vue') },
    // The field page works offline (service worker, IndexedDB): meta.offline lets it open when
    // the server cannot be reached.
    { path: '/field', name: 'field', component: () => import('./pages/FieldPage.vue'), meta: { offline: true } },

    { path: '/cadres', name: 'cadres', component: () => import('./pages/CadresPage.vue') },
    { path: '/pairing/assign', name: 'pairing-assign', component: () => import('./pages/PairingAssignPage.vue') },
    { path: '/visits/overdue', name: 'visits-overdue', component: () => import('./pages/OverdueVisitsPage.vue') },
    { path: '/teams', name: 'teams', component: () => import('./pages/TeamsPage.vue') },
    // Funds, the project library and asset-income shares (issue 16). The assets live under /shares:
    // /assets is the build's own folder of scripts and styles, which the server serves as files.
    { path: '/funds', name: 'funds', component: () => import('./pages/FundsPage.vue') },
    { path: '/funds/report', name: 'fund-report', component: () => import('./pages/FundReportPage.vue') },
    { path: '/funds/findings', name: 'fund-findings', component: () => import('./pages/FundFindingsPage.vue') },
    { path: '/projects', name: 'projects', component: () => import('./pages/ProjectsPage.vue') },
    { path: '/projects/:id', name: 'project', component: () => import('./pages/ProjectPage.vue') },
    { path: '/projects/:id/notice', name: 'project-notice', component: () => import('./pages/ProjectNoticePage.vue') },
    { path: '/shares', name: 'assets', component: () => import('./pages/AssetsPage.vue') },
    { path: '/shares/:id', name: 'asset', component: () => import('./pages/AssetPage.vue') },
    // Periodic reports, issued reports, the submission schedule and a unit's printed documents (issue 17).
    { path: '/reports/periodic', name: 'periodic-reports', component: () => import('./pages/PeriodicReportPage.vue') },
    { path: '/reports/issued/:id(\\d+)', name: 'issued-report', component: () => import('./pages/IssuedReportPage.vue') },
    { path: '/reports/due', name: 'due-reports', component: () => import('./pages/DueReportsPage.vue') },
    { path: '/units/:code(\\d+)', name: 'unit', component: () => import('./pages/UnitPage.vue') },
    { path: '/:rest(.*)', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  // The page's code starts loading while the session is checked (one round trip less on a slow
  // link; the router's own load of the component then finds it in the module cache).
  for (const record of to.matched)
    for (const component of Object.values(record.components ?? {}))
      if (typeof component === 'function') void (component as () => Promise<unknown>)().catch(() => undefined);
  const session = useSession();
  if (!session.checked || (!session.me && session.offline)) await session.load();
  if (!session.me && session.offline && to.meta.offline) return true;
  if (!session.me && to.name !== 'login') return { name: 'login', query: { next: to.fullPath } };
  if (session.me && to.name === 'login') return { name: 'map' };
  // The code tables and the rules every page reads, once after login. Not awaited here: the page's
  // own code is fetched meanwhile, and every page that reads them awaits `load()` (the same
  // request) before it shows figures, and shows the server's error if it fails.
  if (session.me) void useReference().load().catch(() => undefined);
  return true;
});
