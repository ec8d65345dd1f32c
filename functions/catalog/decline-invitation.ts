import { catalogRoutes } from '../routes/catalog.ts';
import { decisionHandler } from './decide-invitation.ts';

export const handler = decisionHandler(catalogRoutes.declineInvitation, 'decline');
