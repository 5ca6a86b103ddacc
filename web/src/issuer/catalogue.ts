import type { components } from '../api/schema.js';

export type CatalogueEntry = components['schemas']['CatalogueEntry'];
export type FaceField = CatalogueEntry['fields'][number];

/** What the holder number and name are called for a type's holders. */
export function holderLabels(holderType: CatalogueEntry['holderType']): { readonly number: string; readonly name: string; readonly kind: string } {
  return holderType === 'citizen'
    ? { number: '公民身份号码', name: '姓名', kind: '自然人（公民身份号码）' }
    : { number: '统一社会信用代码', name: '名称', kind: '法人和其他组织（统一社会信用代码）' };
}

/** The type's validity rule in words. */
export function validityText(validity: CatalogueEntry['validity']): string {
  switch (validity.kind) {
    case 'permanent':
      return '长期有效';
    case 'fixed-term':
      return `有效期 ${validity.years} 年`;
    case 'until-date':
      return '有效期至指定日期';
  }
}
