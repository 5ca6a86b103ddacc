import { Secret, TOTP } from 'otpauth';
import { TOTP_DIGITS, TOTP_PERIOD_SECONDS, type TotpAlgorithm } from '../../modules/staff/index.js';

const SECRET_BYTES = 20;

function totpOf(secret: string, issuer = '', label = 'OTPAuth'): TOTP {
  return new TOTP({ issuer, label, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: TOTP_DIGITS, period: TOTP_PERIOD_SECONDS });
}

/** RFC 6238 through the otpauth package. */
export const otpauthTotp: TotpAlgorithm = {
  generateSecret: () => new Secret({ size: SECRET_BYTES }).base32,
  codeAt: (secret, step) => totpOf(secret).generate({ timestamp: step * TOTP_PERIOD_SECONDS * 1000 }),
  uri: (secret, issuer, label) => totpOf(secret, issuer, label).toString(),
};
