import type { NotificationKind, OptionalCategory } from '../domain/notifications.ts';
import type { KpiName } from '../domain/seller-kpis.ts';

/** One notification's Handlebars sources: the subject, the plain-text body and the HTML body. */
export interface NotificationTemplate {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Every notification of one language, and the wording of the layout around each. */
export type LocaleTemplates = Readonly<Record<NotificationKind, NotificationTemplate>> & {
  readonly layout: {
    readonly footer: string;
    /** Said of mail the recipient may turn off, naming its category. */
    readonly optional: string;
    readonly categories: Readonly<Record<OptionalCategory, string>>;
    /** The quality KPIs' names, for the `kpi` helper. */
    readonly kpis: Readonly<Record<KpiName, string>>;
  };
};
