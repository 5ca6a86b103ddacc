import type { AuthorizationsBackend, HolderPageBackends, LicenseCard, LicensesBackend, SharesBackend, UsageBackend } from '../http/pages/holder/index.js';
import { licenseLabel } from '../http/pages/holder/index.js';
import { qrSvg } from '../http/qr-svg.js';
import type { AuthorizationView, HolderAuthorizations } from '../modules/authorizations/index.js';
import type { DepartmentRepository } from '../modules/departments/index.js';
import { holderActor, type HolderPrincipal } from '../modules/holders/index.js';
import { parseLicenseIdentifier } from '../modules/identity/index.js';
import type { HolderShares, ShareView } from '../modules/shares/index.js';
import type { LicenseTemplate, QrEncoder, TemplateCatalog } from '../modules/templates/index.js';
import { HELD_LICENSES_PAGE_MAX, type HeldLicense, type HolderLicenses, type UsageRecord } from '../modules/usage/index.js';

export interface HolderPageWiring {
  readonly publicUrl: string;
  readonly templates: Pick<TemplateCatalog, 'nameOf' | 'version'>;
  /** Draws 用证码 and share links as QR codes. */
  readonly qr: QrEncoder;
  readonly shares?: HolderShares | undefined;
  /** 我的证照 and 用证记录. */
  readonly licenses?: HolderLicenses | undefined;
  readonly usage?: UsageRecord | undefined;
  readonly authorizations?: { readonly holders: HolderAuthorizations; readonly departments: Pick<DepartmentRepository, 'list'> } | undefined;
}

/** The signed-in holder as the use cases take them: the number, and the actor for the audit log. */
function actingHolder(principal: HolderPrincipal) {
  return { holder: principal.holder, actor: holderActor(principal) };
}

/** How the pages name a license they know only by identifier: by its type, when no list of the holder's licenses says more. */
function typeNameOf(templates: HolderPageWiring['templates'], identifier: string): string {
  try {
    return templates.nameOf(parseLicenseIdentifier(identifier).typeCode) ?? identifier;
  } catch {
    return identifier;
  }
}

/** Names for the licenses a holder's authorizations and shares cover: type and number from the holder's own list. */
function licenseNamer(wiring: HolderPageWiring, licenses: LicensesBackend | undefined) {
  return async (principal: HolderPrincipal): Promise<(identifier: string) => string> => {
    const known = new Map((licenses ? await licenses.list(principal) : []).map((card) => [card.identifier, licenseLabel(card)]));
    return (identifier) => known.get(identifier) ?? typeNameOf(wiring.templates, identifier);
  };
}

function sharesBackend(shares: HolderShares, wiring: HolderPageWiring, names: ReturnType<typeof licenseNamer>): SharesBackend {
  const item = (share: ShareView, name: (identifier: string) => string) => ({
    id: share.id,
    state: share.state,
    covers: share.licenses.map(name),
    recipient: share.recipient,
    purpose: share.purpose,
    createdAt: share.createdAt,
    expiresAt: share.expiresAt,
    oneTime: share.oneTime,
    opens: share.openCount,
  });
  return {
    async list(principal) {
      const [views, name] = await Promise.all([shares.list(principal), names(principal)]);
      return views.map((share) => item(share, name));
    },
    async create(principal, input) {
      const made = await shares.create(principal, input);
      return { id: made.share.id, url: `${wiring.publicUrl}/s/${made.token}` };
    },
    async revoke(principal, id) {
      await shares.revoke(principal, id);
    },
    qrSvg: async (url) => qrSvg(wiring.qr.encode(url), '分享链接二维码'),
  };
}

/** The face fields of a license, labelled as its template version labels them. */
function faceFields(license: HeldLicense, templates: HolderPageWiring['templates']): { label: string; value: string }[] {
  let template: LicenseTemplate | undefined;
  try {
    template = templates.version(license.typeCode, Number(license.templateVersion));
  } catch {
    template = undefined;
  }
  const labels = new Map((template?.fields ?? []).map((field) => [field.key, field.label]));
  return Object.entries(license.fields).map(([key, value]) => ({ label: labels.get(key) ?? key, value: String(value) }));
}

function cardOf(license: HeldLicense): LicenseCard {
  return {
    identifier: license.identifier,
    typeName: license.typeName ?? license.typeCode,
    licenseNumber: license.licenseNumber,
    issuerName: license.issuer.name,
    status: license.effectiveStatus,
    validFrom: license.validFrom,
    validUntil: license.validUntil,
    version: license.version,
  };
}

/** Most licenses the list shows: far more than anyone holds. */
const LISTED_MAX = 500;

function licensesBackend(licenses: HolderLicenses, wiring: HolderPageWiring): LicensesBackend {
  return {
    async list(principal) {
      const cards: LicenseCard[] = [];
      let cursor: string | null = null;
      do {
        const page = await licenses.list(actingHolder(principal), { limit: HELD_LICENSES_PAGE_MAX, ...(cursor === null ? {} : { cursor }) });
        cards.push(...page.items.map(cardOf));
        cursor = page.nextCursor;
      } while (cursor !== null && cards.length < LISTED_MAX);
      return cards;
    },
    async read(principal, identifier) {
      const license = await licenses.read(actingHolder(principal), identifier);
      const path = `/api/v1/me/licenses/${encodeURIComponent(license.identifier)}`;
      return { ...cardOf(license), issuedAt: license.issuedAt, fields: faceFields(license, wiring.templates), faceUrl: `${path}/face.png`, originalUrl: `${path}/pdf` };
    },
  };
}

/** Entries per page of the usage record. */
const USAGE_PAGE = 20;

function usageBackend(usage: UsageRecord, names: ReturnType<typeof licenseNamer>): UsageBackend {
  return {
    async read(principal, cursor) {
      const [page, name] = await Promise.all([usage.read(principal.holder, { cursor, limit: USAGE_PAGE }), names(principal)]);
      return {
        items: page.items.map((entry) => ({
          at: entry.at,
          // What the record has no kind for yet is named by its action (a sign-in, say), not as a bare 其他.
          kind: entry.kind === 'other' ? entry.action : entry.kind,
          departmentName: entry.department === null ? null : (entry.department.name ?? entry.department.creditCode),
          clerk: entry.clerk,
          serviceItem: entry.serviceItem,
          purpose: entry.purpose,
          licenses: entry.licenses.map((license) => name(license.identifier)),
          recipient: entry.recipient,
          repeated: entry.repeated,
        })),
        nextCursor: page.nextCursor,
        verifications:
          page.verifications === null ? null : page.verifications.map((total) => ({ license: `${total.typeName ?? ''} ${total.licenseNumber}`.trim(), count: total.count })),
      };
    },
  };
}

function authorizationsBackend(
  authorizations: NonNullable<HolderPageWiring['authorizations']>,
  wiring: HolderPageWiring,
  names: ReturnType<typeof licenseNamer>,
): AuthorizationsBackend {
  const item = (view: AuthorizationView, name: (identifier: string) => string) => ({
    id: view.id,
    codeHint: view.codeHint,
    state: view.state,
    covers: [...view.licenses.map(name), ...view.licenseTypes.map((typeCode) => `${wiring.templates.nameOf(typeCode) ?? typeCode}（全部）`)],
    officeName: view.office === null ? null : (view.office.name ?? view.office.creditCode),
    serviceItem: view.serviceItem,
    purpose: view.purpose,
    createdAt: view.createdAt,
    expiresAt: view.expiresAt,
    usesAllowed: view.usesAllowed,
    usesLeft: view.usesLeft,
  });
  return {
    async offices() {
      return (await authorizations.departments.list()).map((department) => ({ creditCode: department.creditCode, name: department.name }));
    },
    async list(principal) {
      const [views, name] = await Promise.all([authorizations.holders.list(actingHolder(principal)), names(principal)]);
      return views.map((view) => item(view, name));
    },
    async create(principal, input) {
      const made = await authorizations.holders.create(actingHolder(principal), input);
      return { id: made.authorization.id, code: made.code };
    },
    async withdraw(principal, id) {
      await authorizations.holders.withdraw(actingHolder(principal), id);
    },
    // The QR code holds the 8 symbols alone: what a clerk would type.
    qrSvg: async (code) => qrSvg(wiring.qr.encode(code.replace(/[^0-9A-Za-z]/g, '')), `用证码 ${code}`),
  };
}

/** The holder pages' back ends, from the use cases this vault runs; a part without one is left out and its pages say so. */
export function holderPageBackends(wiring: HolderPageWiring): HolderPageBackends {
  const licenses = wiring.licenses ? licensesBackend(wiring.licenses, wiring) : undefined;
  const names = licenseNamer(wiring, licenses);
  return {
    ...(licenses ? { licenses } : {}),
    ...(wiring.usage ? { usage: usageBackend(wiring.usage, names) } : {}),
    ...(wiring.shares ? { shares: sharesBackend(wiring.shares, wiring, names) } : {}),
    ...(wiring.authorizations ? { authorizations: authorizationsBackend(wiring.authorizations, wiring, names) } : {}),
  };
}
