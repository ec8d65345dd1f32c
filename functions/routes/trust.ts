import { defineRoute, type RouteSpec } from '#shared/http/route.ts';
import {
  auditPage,
  auditQuery,
  reinstatementBody,
  suspensionBody,
  suspensionView,
  userParams,
} from './schemas/trust.ts';

/** Trust and safety for admins: suspending users, and the audit log of every admin action. */
export const trustRoutes = {
  suspendUser: defineRoute({
    method: 'PUT',
    path: '/admin/users/{userId}/suspension',
    handler: 'trust/suspend-user',
    summary:
      'Suspend a user: their listings leave the marketplace, they cannot check out, their payouts are held',
    tags: ['trust'],
    uses: { table: ['BatchGetItem', 'GetItem', 'PutItem'] },
    access: ['admin'],
    params: userParams,
    body: suspensionBody,
    responses: {
      200: { description: 'Suspended already: the suspension in force, unchanged', body: suspensionView },
      201: { description: 'Suspended', body: suspensionView },
      403: { description: 'Admins cannot suspend themselves' },
    },
  }),
  reinstateUser: defineRoute({
    method: 'DELETE',
    path: '/admin/users/{userId}/suspension',
    handler: 'trust/reinstate-user',
    summary: 'Lift a suspension, and the payout hold it placed',
    tags: ['trust'],
    uses: { table: ['BatchGetItem', 'DeleteItem', 'PutItem'] },
    access: ['admin'],
    params: userParams,
    body: reinstatementBody,
    responses: {
      200: {
        description: 'Reinstated: the suspension lifted, with who lifted it, when and why',
        body: suspensionView,
      },
      404: { description: 'The user is not suspended' },
      409: { description: 'The suspension or its hold changed meanwhile; try again' },
    },
  }),
  getUserSuspension: defineRoute({
    method: 'GET',
    path: '/admin/users/{userId}/suspension',
    handler: 'trust/get-user-suspension',
    summary: "A user's suspension in force",
    tags: ['trust'],
    uses: { table: ['GetItem'] },
    access: ['admin'],
    params: userParams,
    responses: {
      200: { description: 'The suspension', body: suspensionView },
      404: { description: 'The user is not suspended' },
    },
  }),
  listAuditEntries: defineRoute({
    method: 'GET',
    path: '/admin/audit',
    handler: 'trust/list-audit-entries',
    summary: 'Every suspension, payout hold and commission-rule action, newest first',
    tags: ['trust'],
    uses: { table: ['Query'] },
    access: ['admin'],
    query: auditQuery,
    responses: { 200: { description: 'One page of the audit log', body: auditPage } },
  }),
} satisfies Record<string, RouteSpec>;
