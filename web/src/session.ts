export type Role = 'admin' | 'operator' | 'agent' | 'analyst' | 'auditor';
export type ViewName = 'dashboard' | 'cases' | 'strategy' | 'audit' | 'inbox' | 'jobs';

export interface Session {
  name: string;
  role: Role;
}

/** Mirrors the API's role checks, so nobody is shown a view whose every request would be refused. */
const VIEWS_BY_ROLE: Record<Role, readonly ViewName[]> = {
  admin: ['dashboard', 'cases', 'strategy', 'audit', 'inbox', 'jobs'],
  operator: ['dashboard', 'cases', 'strategy', 'inbox', 'jobs'],
  agent: ['inbox', 'cases'],
  analyst: ['dashboard', 'cases', 'strategy', 'jobs'],
  auditor: ['dashboard', 'cases', 'strategy', 'audit', 'jobs'],
};

export function viewsFor(role: Role): readonly ViewName[] {
  return VIEWS_BY_ROLE[role];
}
