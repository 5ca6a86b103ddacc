import { holdsDevelopmentPki } from '../adapters/pki/development-pki.js';
import type { Config } from '../config/index.js';
import { ConfigError } from '../shared/errors.js';

/** What the configuration is checked against besides itself: what is on disk. */
export interface ProductionFacts {
  /** VAULT_CERTS_DIR holds the development PKI (its root among the trusted ones, or its generated password). */
  readonly developmentPki: boolean;
}

export type ProductionCheckedConfig = Pick<Config, 'production' | 'demoSetup' | 'devPki' | 'publicUrl' | 'signer' | 'p12Password' | 'certsDir' | 'holderOidc'>;

/**
 * Every reason the vault must not start as configured, with NODE_ENV=production:
 * the demo accounts (and with them the development identity provider at /dev-idp),
 * the development PKI (on or present), a public URL or an identity platform that
 * is not https, key stores without a password. Empty outside production.
 */
export function productionRefusals(config: ProductionCheckedConfig, facts: ProductionFacts): string[] {
  if (!config.production) return [];
  const reasons: string[] = [];
  if (config.demoSetup !== 'off') reasons.push('VAULT_DEMO_SETUP must be off (the demo set-up creates accounts with known credentials)');
  if (config.devPki !== 'off') reasons.push('VAULT_DEV_PKI must be off');
  if (facts.developmentPki)
    reasons.push(`VAULT_CERTS_DIR (${config.certsDir}) holds the development PKI: create the production one (license-vault pki init) in an empty directory`);
  if (new URL(config.publicUrl).protocol !== 'https:') reasons.push(`VAULT_PUBLIC_URL must be an https:// URL (it is ${config.publicUrl})`);
  const issuer = config.holderOidc.issuer;
  if (issuer !== null && new URL(issuer.url).protocol !== 'https:') reasons.push(`VAULT_HOLDER_OIDC_ISSUER must be an https:// URL (it is ${issuer.url})`);
  if (config.signer === 'p12' && config.p12Password === undefined) reasons.push('VAULT_P12_PASSWORD must be set (the department key stores need a password)');
  return reasons;
}

/** Throws ERR_CONFIG_UNSAFE naming every reason at once (one line) when {@link productionRefusals} finds any. */
export function assertSafeForProduction(config: ProductionCheckedConfig, facts: ProductionFacts): void {
  const reasons = productionRefusals(config, facts);
  if (reasons.length > 0) throw new ConfigError('ERR_CONFIG_UNSAFE', `NODE_ENV=production refuses to start: ${reasons.join('; ')}`, { reasons });
}

/** The start-up check main.ts runs before it creates anything: reads the certificates directory, changes nothing. */
export async function checkProductionSafety(config: ProductionCheckedConfig): Promise<void> {
  if (!config.production) return;
  assertSafeForProduction(config, { developmentPki: await holdsDevelopmentPki(config.certsDir) });
}
