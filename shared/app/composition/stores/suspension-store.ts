import { SuspensionStore } from '#shared/store/suspension-store.ts';
import { tableStore } from './document-client.ts';

export const suspensionStore = tableStore(SuspensionStore);
