import type { Account, EscalationPolicy, Priority, Service, Team, User } from './model.js';

/**
 * The deterministic seed (docs/sandbox.md, "Seed"). Ids are PagerDuty-style and stable so tests
 * can name them. `acme` (US) has 32 services so listing paginates; `globex` (EU) is the second
 * account for switching. Each account has an Admin, a Manager (API role `user`) and a Responder
 * (API role `limited_user`), who lacks the role webhook subscriptions need (API-NOTES §3.1).
 */
export interface Seed {
  accounts: Account[];
  users: User[];
  teams: Team[];
  escalationPolicies: EscalationPolicy[];
  services: Service[];
  priorities: Priority[];
}

/** Fixed creation time of seeded records: 2026-01-01T00:00:00Z. */
export const SEED_TIME = Date.UTC(2026, 0, 1);

const ACME_SERVICES = [
  'Checkout API', 'Payments Gateway', 'Customer Portal', 'Search', 'Inventory', 'Shipping',
  'Notifications', 'Auth Service', 'Billing', 'Recommendations', 'Mobile Backend', 'Data Pipeline',
  'Reporting', 'Admin Console', 'Email Relay', 'CDN Edge', 'Order History', 'Pricing Engine',
  'Fraud Detection', 'Warehouse Sync', 'Support Desk', 'Status Page', 'Feature Flags', 'Image Resizer',
  'Audit Log', 'Webhooks Out', 'GraphQL Gateway', 'Session Store', 'Tax Calculator', 'Loyalty Points',
  'Legacy Mainframe Bridge', 'Retired Fax Gateway',
];

function user(id: string, account: string, name: string, email: string, role: User['role'], jobTitle: string): User {
  return { id, account, name, email, role, timeZone: 'Etc/UTC', jobTitle };
}

function priorities(account: string, firstId: number): Priority[] {
  const words = ['Critical: all hands', 'High: page the on-call', 'Moderate', 'Low', 'Informational'];
  return words.map((description, i) => ({
    id: `PPRI${String(firstId + i).padStart(3, '0')}`,
    account,
    name: `P${i + 1}`,
    description,
  }));
}

export function buildSeed(): Seed {
  const accounts: Account[] = [
    { id: 'PACME00', subdomain: 'acme', name: 'Acme Corp', region: 'us', apiKey: 'acme_sandbox_api_key_0001' },
    { id: 'PGLBX00', subdomain: 'globex', name: 'Globex Corporation', region: 'eu', apiKey: 'globex_sandbox_api_key_0001' },
  ];
  const users: User[] = [
    user('PUSR001', 'acme', 'Ada Admin', 'admin@acme.example', 'admin', 'Head of Operations'),
    user('PUSR002', 'acme', 'Max Manager', 'manager@acme.example', 'user', 'Engineering Manager'),
    user('PUSR003', 'acme', 'Rita Responder', 'responder@acme.example', 'limited_user', 'On-call Engineer'),
    user('PUSR101', 'globex', 'Gina Admin', 'admin@globex.example', 'admin', 'SRE Lead'),
    user('PUSR102', 'globex', 'Gus Manager', 'manager@globex.example', 'user', 'Team Lead'),
    user('PUSR103', 'globex', 'Rob Responder', 'responder@globex.example', 'limited_user', 'Engineer'),
  ];
  const teams: Team[] = [
    { id: 'PTEAM01', account: 'acme', name: 'Platform' },
    { id: 'PTEAM02', account: 'acme', name: 'Payments' },
    { id: 'PTEAM11', account: 'globex', name: 'Operations' },
  ];
  const escalationPolicies: EscalationPolicy[] = [
    { id: 'PESC001', account: 'acme', name: 'Default', userIds: ['PUSR001'], teamIds: [] },
    { id: 'PESC002', account: 'acme', name: 'Platform on-call', userIds: ['PUSR002', 'PUSR003'], teamIds: ['PTEAM01'] },
    { id: 'PESC101', account: 'globex', name: 'Default', userIds: ['PUSR101'], teamIds: ['PTEAM11'] },
  ];
  const services: Service[] = ACME_SERVICES.map((name, i) => {
    const n = i + 1;
    const service: Service = {
      id: `PSVC${String(n).padStart(3, '0')}`,
      account: 'acme',
      name,
      description: `${name} (sandbox)`,
      escalationPolicyId: n % 2 === 0 ? 'PESC002' : 'PESC001',
      teamIds: n % 2 === 0 ? ['PTEAM01'] : n % 3 === 0 ? ['PTEAM02'] : [],
      urgencyRule: { type: 'constant', urgency: 'high' },
      supportHours: null,
      baseStatus: 'active',
      createdAt: SEED_TIME,
      deletedAt: null,
    };
    return service;
  });
  // A few services with other rules and statuses (API-NOTES §2.3, §5.11).
  services[1]!.urgencyRule = { type: 'constant', urgency: 'low' };
  services[2]!.urgencyRule = { type: 'use_support_hours', during: 'high', outside: 'low' };
  services[2]!.supportHours = { timeZone: 'Etc/UTC', daysOfWeek: [1, 2, 3, 4, 5], startTime: '09:00:00', endTime: '17:00:00' };
  services[30]!.baseStatus = 'maintenance';
  services[31]!.baseStatus = 'disabled';
  for (const [i, name] of ['Trading Platform', 'Risk Engine', 'Client Reports'].entries()) {
    services.push({
      id: `PSVC${101 + i}`,
      account: 'globex',
      name,
      description: `${name} (sandbox)`,
      escalationPolicyId: 'PESC101',
      teamIds: ['PTEAM11'],
      urgencyRule: { type: 'constant', urgency: i === 2 ? 'low' : 'high' },
      supportHours: null,
      baseStatus: 'active',
      createdAt: SEED_TIME,
      deletedAt: null,
    });
  }
  return { accounts, users, teams, escalationPolicies, services, priorities: [...priorities('acme', 1), ...priorities('globex', 101)] };
}
