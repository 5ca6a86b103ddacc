import type { ExampleIssueRequest } from '../bench/bench-vault.js';
import { citizenIdFor } from '../support/historical-records.js';

/** A license the vault answered 201 for, with what a clerk or a verifier needs to ask about it. */
export interface IssuedLicense {
  readonly identifier: string;
  readonly licenseNumber: string;
  /** The QR link's code. */
  readonly code: string;
  readonly holderId: string;
  readonly holderName: string;
}

function issuedLicense(body: string): IssuedLicense | null {
  try {
    const license = JSON.parse(body) as { identifier?: unknown; licenseNumber?: unknown; holder?: { id?: unknown; name?: unknown }; links?: { verify?: unknown } };
    const code = typeof license.links?.verify === 'string' ? new URL(license.links.verify).searchParams.get('c') : null;
    const { identifier, licenseNumber } = license;
    const { id, name } = license.holder ?? {};
    if (typeof identifier !== 'string' || typeof licenseNumber !== 'string' || typeof id !== 'string' || typeof name !== 'string' || !code) return null;
    return { identifier, licenseNumber, code, holderId: id, holderName: name };
  } catch {
    return null;
  }
}

/**
 * The licenses the soak has issued, growing as the vault acknowledges them:
 * look-ups and verifications pick from here, so they ask about licenses that
 * exist, more of them as the run goes on. Every issuance request has a holder
 * of its own and an Idempotency-Key of its own; requests sent and not yet
 * answered are kept, so that those cut off when the load stops can be sent
 * again with the same key.
 */
export class SoakPopulation {
  readonly issued: IssuedLicense[] = [];
  /** 201 answers, whatever their body. */
  acknowledged = 0;
  /** Issuance requests sent and not answered: Idempotency-Key → body. */
  readonly unanswered = new Map<string, string>();
  private sent = 0;

  constructor(
    /** Sent with a holder of its own each time. */
    private readonly example: ExampleIssueRequest,
    private readonly runId: string = Date.now().toString(36),
  ) {}

  /** The next issuance request to send: a fresh key and a holder no other request has. */
  nextIssuance(): { key: string; body: string } {
    const n = this.sent++;
    const key = `soak-${this.runId}-${n}`;
    const body = JSON.stringify({ ...this.example, holder: { ...this.example.holder, id: citizenIdFor(n) } });
    this.unanswered.set(key, body);
    return { key, body };
  }

  /** Files the answer to the request sent with `key`. False when a 201 does not carry a license. */
  answered(key: string, status: number, body: string): boolean {
    this.unanswered.delete(key);
    if (status !== 201) return true;
    this.acknowledged += 1;
    const license = issuedLicense(body);
    if (license) this.issued.push(license);
    return license !== null;
  }

  /** A license issued so far, at random. */
  pick(): IssuedLicense {
    const license = this.issued[Math.floor(Math.random() * this.issued.length)];
    if (!license) throw new TypeError('nothing issued yet: seed the population first');
    return license;
  }
}
