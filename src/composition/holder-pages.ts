import type { HolderPageBackends, LicensesBackend, SharesBackend } from '../http/pages/holder/index.js';
import { licenseLabel } from '../http/pages/holder/index.js';
import type { HolderPrincipal } from '../modules/holders/index.js';
import { parseLicenseIdentifier } from '../modules/identity/index.js';
import type { HolderShares, ShareView } from '../modules/shares/index.js';
import type { TemplateCatalog } from '../modules/templates/index.js';

export interface HolderPageWiring {
  readonly publicUrl: string;
  readonly templates: Pick<TemplateCatalog, 'nameOf'>;
  readonly shares?: HolderShares | undefined;
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
    qrSvg: async () => null,
  };
}

/** The holder pages' back ends, from the use cases this vault runs; a part without one is left out and its pages say so. */
export function holderPageBackends(wiring: HolderPageWiring): HolderPageBackends {
  const licenses: LicensesBackend | undefined = undefined;
  const names = licenseNamer(wiring, licenses);
  return {
    ...(wiring.shares ? { shares: sharesBackend(wiring.shares, wiring, names) } : {}),
  };
}
