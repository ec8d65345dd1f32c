import { routes } from '../routes.ts';
import { transitionHandler } from './transition-listing.ts';

export const handler = transitionHandler(routes.unpublishListing, 'unpublish');
