import Handlebars from 'handlebars';
import { minorUnitDecimals } from '../domain/money.ts';
import {
  type NotificationKind,
  type NotificationLocale,
  notificationKinds,
} from '../domain/notifications.ts';
import { type KpiName, kpiScales } from '../domain/seller-kpis.ts';
import type { TemplateValues } from './recipients.ts';
import type { LocaleTemplates } from './template.ts';
import { en } from './templates/en.ts';
import { fr } from './templates/fr.ts';

const templates: Readonly<Record<NotificationLocale, LocaleTemplates>> = { en, fr };

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

type Render = (values: TemplateValues) => string;

/** A Handlebars environment per language and part: HTML escapes what it inserts, plain text does not. */
function environment(locale: NotificationLocale, part: 'text' | 'html') {
  const handlebars = Handlebars.create();
  handlebars.registerHelper('money', (amount: number, currency: string) =>
    new Intl.NumberFormat(locale, { style: 'currency', currency }).format(
      amount / 10 ** (minorUnitDecimals.get(currency) ?? 2),
    ),
  );
  handlebars.registerHelper(
    'date',
    (iso: string) =>
      `${new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso))} UTC`,
  );
  handlebars.registerHelper('kpi', (name: KpiName) => templates[locale].layout.kpis[name]);
  handlebars.registerHelper('kpiValue', (name: KpiName, value: number) => {
    const number = (digits: number, of: number) =>
      new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(of);
    const { unit } = kpiScales[name];
    if (unit === 'percent') return `${number(2, value)} %`;
    if (unit === 'seconds') return `${number(1, value / 3600)} h`;
    return `${number(2, value)}/5`;
  });
  handlebars.registerPartial('items', '{{#each items}}- {{quantity}} × {{title}}\n{{/each}}');
  handlebars.registerPartial(
    'itemsHtml',
    '<ul>{{#each items}}<li>{{quantity}} × {{title}}</li>{{/each}}</ul>',
  );
  return (source: string): Render =>
    handlebars.compile(source, { strict: true, noEscape: part === 'text' }) as Render;
}

/** Compiled at first use, then kept for the function's life. */
const compiled = new Map<string, Render>();

function compile(locale: NotificationLocale, part: 'subject' | 'text' | 'html', source: string): Render {
  const key = `${locale}:${part}:${source}`;
  let render = compiled.get(key);
  if (!render) {
    render = environment(locale, part === 'html' ? 'html' : 'text')(source);
    compiled.set(key, render);
  }
  return render;
}

/**
 * The email of a notification in `locale`: its subject, and its body as plain text and as HTML, each
 * followed by the footer saying why it was sent and, for mail that can be turned off, how.
 */
export function renderEmail(
  kind: NotificationKind,
  locale: NotificationLocale,
  values: TemplateValues & { readonly marketplace: string },
): RenderedEmail {
  const { layout, [kind]: template } = templates[locale];
  const category = notificationKinds[kind];
  const footerValues = {
    marketplace: values.marketplace,
    category: category === 'transactional' ? '' : layout.categories[category],
  };
  const footer = [layout.footer, ...(category === 'transactional' ? [] : [layout.optional])];
  const text = compile(locale, 'text', template.text)(values);
  const html = compile(locale, 'html', template.html)(values);
  const textFooter = footer.map((line) => compile(locale, 'text', line)(footerValues)).join('\n');
  const htmlFooter = footer.map((line) => compile(locale, 'html', line)(footerValues)).join('<br>');
  return {
    // A subject is one line, however a value inserted into it was written.
    subject: compile(locale, 'subject', template.subject)(values).replace(/\s+/g, ' ').trim(),
    text: `${text}\n\n--\n${textFooter}\n`,
    html: `<!doctype html><html lang="${locale}"><body>${html}<hr><p style="color:#666;font-size:12px">${htmlFooter}</p></body></html>`,
  };
}
