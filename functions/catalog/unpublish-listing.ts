import { catalogRoutes } from '../routes/catalog.ts';
import { transitionHandler } from './transition-listing.ts';

export const handler = transitionHandler(catalogRoutes.unpublishListing, 'unpublish');
