import { defineRoute, type RouteSpec } from '#shared/http/route.ts';
import { ifMatch } from './if-match.ts';
import { commissionRulesBody, commissionRulesViewSchema } from './schemas/admin.ts';

/** The marketplace's commission rules, for admins. */
export const adminRoutes = {
  getCommissionRules: defineRoute({
    method: 'GET',
    path: '/admin/commission-rules',
    handler: 'admin/get-commission-rules',
    summary: 'The commission rule set in force (10 % of every line until one is saved)',
    tags: ['admin'],
    uses: { table: ['GetItem'] },
    access: ['admin'],
    responses: {
      200: {
        description: 'The rule set; ETag carries its version ("0" while none is saved)',
        body: commissionRulesViewSchema,
      },
    },
  }),
  saveCommissionRules: defineRoute({
    method: 'PUT',
    path: '/admin/commission-rules',
    handler: 'admin/save-commission-rules',
    summary: 'Replace the commission rule set (If-Match required once one is saved)',
    tags: ['admin'],
    uses: { table: ['PutItem'] },
    access: ['admin'],
    headers: ifMatch,
    body: commissionRulesBody,
    responses: {
      200: {
        description: 'Replaced; orders placed before keep their commission',
        body: commissionRulesViewSchema,
      },
      201: { description: 'The first rule set, saved', body: commissionRulesViewSchema },
      412: { description: 'If-Match does not match the current version' },
      428: { description: 'A rule set is saved and If-Match is missing' },
    },
  }),
} satisfies Record<string, RouteSpec>;
