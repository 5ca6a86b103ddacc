import type { Dayjs } from 'dayjs';
import type { FormInstance } from 'antd';
import type { CatalogueEntry } from './catalogue';
import type { ErrorPlace, IssueInput } from './issue-rules';

/** The issue form's values as antd holds them (dates as Dayjs). */
export interface IssueFormValues {
  readonly licenseType?: string;
  readonly holder?: { readonly id?: string; readonly name?: string };
  readonly fields?: Readonly<Record<string, string | number | Dayjs | null | undefined>>;
  readonly validFrom?: Dayjs | null;
  readonly validUntil?: Dayjs | null;
}

function isDayjs(value: unknown): value is Dayjs {
  return typeof value === 'object' && value !== null && 'format' in value && typeof (value as Dayjs).format === 'function';
}

const day = (value: Dayjs | null | undefined) => (value ? value.format('YYYY-MM-DD') : undefined);

/** What the issuer typed, dates written YYYY-MM-DD, as the rules read it. */
export function inputOf(entry: CatalogueEntry, values: IssueFormValues): IssueInput {
  const fields: Record<string, string | number | undefined> = {};
  for (const field of entry.fields) {
    const value = values.fields?.[field.key];
    fields[field.key] = isDayjs(value) ? value.format('YYYY-MM-DD') : (value ?? undefined);
  }
  return { holderId: values.holder?.id, holderName: values.holder?.name, fields, validFrom: day(values.validFrom), validUntil: day(values.validUntil) };
}

/** Every place an error can be shown for `entry`. */
export function placesOf(entry: CatalogueEntry): ErrorPlace[] {
  return ['holder.id', 'holder.name', ...entry.fields.map((field) => `fields.${field.key}`), 'validUntil'];
}

/** Shows `errors` next to their fields and clears the others. */
export function showErrors(form: FormInstance, entry: CatalogueEntry, errors: Readonly<Record<ErrorPlace, string>>): void {
  form.setFields(placesOf(entry).map((place) => ({ name: place.split('.'), errors: errors[place] ? [errors[place]] : [] })));
}

/** Shows one error next to its field. */
export function showError(form: FormInstance, place: ErrorPlace, message: string): void {
  form.setFields([{ name: place.split('.'), errors: [message] }]);
}
