import { z } from 'zod';
import { LicenseTemplate, TemplateField } from '../../modules/templates/index.js';
import { named } from './common.js';
import { IssueLicenseRequest } from './licenses.js';

const { holderType, definingAuthority, issuingLevel, validity } = LicenseTemplate.shape.catalogue.shape;

/** One license type of the catalogue (证照目录): its field schema and an example that is a valid issuance request as it stands. */
export const CatalogueEntry = named(
  'CatalogueEntry',
  z.strictObject({
    code: z.string().describe('License type code'),
    name: z.string(),
    holderType,
    definingAuthority,
    issuingLevel,
    validity,
    templateVersion: z.int().min(1),
    fields: z.array(TemplateField),
    example: IssueLicenseRequest,
  }),
);
export type CatalogueEntry = z.infer<typeof CatalogueEntry>;

export const Catalogue = named('Catalogue', z.strictObject({ items: z.array(CatalogueEntry) }));
export type Catalogue = z.infer<typeof Catalogue>;
