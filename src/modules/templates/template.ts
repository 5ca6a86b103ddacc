import { z } from 'zod';
import { HOLDER_TYPES, isValidCreditCode } from '../identity/index.js';

const creditCode = z.string().refine(isValidCreditCode, 'must be a valid unified social credit code (GB 32100)');
const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a #rrggbb colour');
const point = z.number().finite().min(0).max(2000);
const fontSize = z.number().finite().min(4).max(96);

/** One face field (扩展业务信息) of a license type. */
export const TemplateField = z
  .object({
    key: z.string().regex(/^[a-z][A-Za-z0-9]{0,39}$/, 'must be a camelCase identifier'),
    label: z.string().min(1).max(20),
    type: z.enum(['string', 'date', 'enum', 'number']),
    required: z.boolean(),
    maxLength: z.number().int().min(1).max(2000).optional(),
    pattern: z.string().min(1).max(200).optional(),
    values: z.array(z.string().min(1).max(100)).min(1).max(100).optional(),
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
  })
  .strict()
  .superRefine((field, ctx) => {
    if (field.type === 'enum' && !field.values) ctx.addIssue({ code: 'custom', path: ['values'], message: 'an enum field needs values' });
    if (field.type !== 'enum' && field.values) ctx.addIssue({ code: 'custom', path: ['values'], message: 'only enum fields take values' });
    if (field.type === 'string' && field.maxLength === undefined) ctx.addIssue({ code: 'custom', path: ['maxLength'], message: 'a string field needs maxLength' });
    if (field.pattern !== undefined) {
      try {
        new RegExp(field.pattern, 'u');
      } catch {
        ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'is not a valid regular expression' });
      }
    }
  });
export type TemplateField = z.infer<typeof TemplateField>;

/** Values a layout item can print besides face fields. */
export const SYSTEM_VALUES = ['holder.name', 'holder.number', 'licenseNumber', 'identifier', 'issuer.name', 'issueDate', 'validFrom', 'validUntil', 'validity'] as const;
export type SystemValue = (typeof SYSTEM_VALUES)[number];

/** A labelled value on the face: `value` is a field key or a system value. */
export const LayoutItem = z
  .object({
    value: z.string().min(1),
    label: z.string().max(20).optional(),
    x: point,
    y: point,
    size: fontSize,
    /** Width the label column takes before the value starts (points); 0 prints no label. */
    labelWidth: point.default(0),
    /** Width the value may take before it wraps. */
    maxWidth: point,
    maxLines: z.number().int().min(1).max(20).default(1),
    lineHeight: z.number().min(1).max(3).default(1.4),
  })
  .strict();
export type LayoutItem = z.infer<typeof LayoutItem>;

const TextBox = z.object({ text: z.string().min(1).max(100), x: point, y: point, size: fontSize, align: z.enum(['left', 'center']).default('center'), color: color.default('#000000') }).strict();

/** Where everything goes on the page. Coordinates are PDF points from the bottom-left corner. */
export const TemplateLayout = z
  .object({
    page: z.object({ size: z.enum(['A4', 'A5', 'A3']), orientation: z.enum(['portrait', 'landscape']) }).strict(),
    border: z.object({ color, inset: point, width: z.number().min(0.1).max(20), double: z.boolean(), corners: z.boolean() }).strict(),
    title: TextBox,
    subtitle: TextBox.optional(),
    items: z.array(LayoutItem).min(1).max(60),
    identifier: z.object({ x: point, y: point, size: fontSize }).strict(),
    seal: z.object({ x: point, y: point, radius: z.number().min(20).max(150), purpose: z.string().min(1).max(12) }).strict(),
    qr: z.object({ x: point, y: point, size: z.number().min(40).max(300), caption: z.string().max(30).optional() }).strict(),
  })
  .strict();
export type TemplateLayout = z.infer<typeof TemplateLayout>;

/** How long a license of this type is valid (有效期规则). */
export const ValidityRule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed-term'), years: z.number().int().min(1).max(100) }).strict(),
  z.object({ kind: z.literal('until-date') }).strict(),
  z.object({ kind: z.literal('permanent') }).strict(),
]);
export type ValidityRule = z.infer<typeof ValidityRule>;

/** A license template (one version of one license type), as stored in `templates/{id}/v{version}.json`. */
export const LicenseTemplate = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/),
    version: z.number().int().min(1).max(999),
    catalogue: z
      .object({
        typeCode: z.string().regex(/^[0-9A-Z]{18}[0-9]{3}$/, 'must be a credit code followed by a 3-digit sequence'),
        name: z.string().min(2).max(40),
        definingAuthority: z.object({ name: z.string().min(2).max(60), creditCode }).strict(),
        holderType: z.enum(HOLDER_TYPES),
        issuingLevel: z.enum(['国家级', '省级', '市级', '县级']),
        validity: ValidityRule,
      })
      .strict(),
    fields: z.array(TemplateField).min(1).max(40),
    layout: TemplateLayout,
    example: z
      .object({
        holder: z.object({ name: z.string().min(1).max(100), id: z.string() }).strict(),
        fields: z.record(z.string(), z.union([z.string(), z.number()])),
        validFrom: z.string().optional(),
        validUntil: z.string().optional(),
      })
      .strict(),
  })
  .strict()
  .superRefine((template, ctx) => {
    const { typeCode, definingAuthority } = template.catalogue;
    if (!typeCode.startsWith(definingAuthority.creditCode)) {
      ctx.addIssue({ code: 'custom', path: ['catalogue', 'typeCode'], message: "must start with the defining authority's credit code" });
    }
    const keys = new Set<string>();
    template.fields.forEach((field, i) => {
      if (keys.has(field.key)) ctx.addIssue({ code: 'custom', path: ['fields', i, 'key'], message: `duplicate field ${field.key}` });
      keys.add(field.key);
    });
    template.layout.items.forEach((item, i) => {
      if (!keys.has(item.value) && !(SYSTEM_VALUES as readonly string[]).includes(item.value)) {
        ctx.addIssue({ code: 'custom', path: ['layout', 'items', i, 'value'], message: `${item.value} is neither a field nor one of ${SYSTEM_VALUES.join(', ')}` });
      }
    });
  });
export type LicenseTemplate = z.infer<typeof LicenseTemplate>;
