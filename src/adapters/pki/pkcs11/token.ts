import { SigningError } from '../../../shared/errors.js';
import { CK, returnValueOf, type Attribute, type Handle, type Pkcs11Binding, type Template } from './binding.js';
import { call, deviceError, type DeviceContext } from './device-errors.js';
import type { Pkcs11Connection } from './library.js';
import { SessionPool } from './session-pool.js';

/** Sessions opened for signing when none is given: as many as libuv runs native work on by default. */
export const DEFAULT_SESSIONS = 4;

export interface TokenOptions {
  /** CKA_LABEL of the token (CK_TOKEN_INFO.label, without its blank padding). */
  readonly label: string;
  /** The user PIN; used for C_Login and nowhere else. */
  readonly pin: string;
  /** Concurrent operations (one session each); default {@link DEFAULT_SESSIONS}. */
  readonly sessions?: number;
  /** Read-write sessions, for creating keys; signing needs read-only ones only. */
  readonly readWrite?: boolean;
}

/** The slot whose token is labelled `label`; tokens that cannot be read (removed under us) are passed over. */
function findSlot(binding: Pkcs11Binding, label: string): Handle {
  const slots = call({ call: 'C_GetSlotList', tokenLabel: label }, () => binding.C_GetSlotList(true));
  const matches = slots.filter((slot) => {
    try {
      return binding.C_GetTokenInfo(slot).label.replace(/[ \0]+$/, '') === label;
    } catch {
      return false;
    }
  });
  const [slot, ...others] = matches;
  if (slot === undefined) throw new SigningError('ERR_SIGNER_TOKEN_MISSING', `no PKCS#11 token labelled "${label}" among ${slots.length} slot(s) with a token`, { token: label });
  if (others.length > 0)
    throw new SigningError('ERR_SIGNER_UNAVAILABLE', `${matches.length} PKCS#11 tokens are labelled "${label}": the label must name one token`, { token: label });
  return slot;
}

/**
 * A token reached through one {@link Pkcs11Connection}: its slot found by
 * label, the user logged in, and a {@link SessionPool} for operations.
 *
 * PKCS#11 logs a user in per application and token, not per session, and
 * logs out when the application's last session on the token closes; so the
 * session used for C_Login (the anchor) stays open, unused, for the token's
 * life, and every pooled session shares its login.
 */
export class Pkcs11Token {
  private constructor(
    readonly connection: Pkcs11Connection,
    readonly label: string,
    private readonly slot: Handle,
    private readonly anchor: Handle,
    private readonly pool: SessionPool,
  ) {}

  /**
   * Finds the token, opens the anchor session and logs the user in.
   * @throws SigningError ERR_SIGNER_TOKEN_MISSING (no such label),
   *   ERR_SIGNER_PIN (PIN refused, locked or expired), ERR_SIGNER_UNAVAILABLE.
   */
  static async open(connection: Pkcs11Connection, options: TokenOptions): Promise<Pkcs11Token> {
    return connection.run((binding) => {
      const { label } = options;
      const context = (name: string): DeviceContext => ({ call: name, tokenLabel: label });
      const slot = findSlot(binding, label);
      const flags = CK.CKF_SERIAL_SESSION | (options.readWrite ? CK.CKF_RW_SESSION : 0);
      const anchor = call(context('C_OpenSession'), () => binding.C_OpenSession(slot, flags));
      try {
        binding.C_Login(anchor, CK.CKU_USER, options.pin);
      } catch (error) {
        if (returnValueOf(error) !== 'CKR_USER_ALREADY_LOGGED_IN') {
          closeQuietly(binding, anchor);
          throw deviceError(error, context('C_Login'));
        }
      }
      const pool = new SessionPool(
        options.sessions ?? DEFAULT_SESSIONS,
        () => call(context('C_OpenSession'), () => binding.C_OpenSession(slot, flags)),
        (session) => closeQuietly(binding, session),
      );
      return new Pkcs11Token(connection, label, slot, anchor, pool);
    });
  }

  /** The mechanism types the token offers. */
  async mechanisms(): Promise<readonly number[]> {
    return this.connection.run((binding) => call(this.context('C_GetMechanismList'), () => binding.C_GetMechanismList(this.slot)));
  }

  /**
   * Runs `work` on a session of its own, on this token's connection. PKCS#11
   * failures inside come out as SigningErrors naming the call (use
   * {@link context} with `call` / `callAsync`).
   */
  async withSession<T>(work: (binding: Pkcs11Binding, session: Handle) => Promise<T> | T): Promise<T> {
    return this.pool.lease((session) => this.connection.run((binding) => work(binding, session)));
  }

  /** Handles of the objects matching `template` (at most `limit`). */
  async findObjects(template: Template, limit = 16): Promise<Handle[]> {
    return this.withSession((binding, session) => {
      call(this.context('C_FindObjectsInit'), () => binding.C_FindObjectsInit(session, template));
      try {
        return call(this.context('C_FindObjects'), () => binding.C_FindObjects(session, limit));
      } finally {
        call(this.context('C_FindObjectsFinal'), () => binding.C_FindObjectsFinal(session));
      }
    });
  }

  /** Values of the attributes `types` of `object`, by type. */
  async attributes(object: Handle, types: readonly number[]): Promise<Map<number, Buffer>> {
    const template: Attribute[] = types.map((type) => ({ type }));
    const values = await this.withSession((binding, session) => call(this.context('C_GetAttributeValue'), () => binding.C_GetAttributeValue(session, object, template)));
    return new Map(values.map((attribute) => [attribute.type, attribute.value]));
  }

  /** What a failing call on this token is reported with. */
  context(name: string): DeviceContext {
    return { call: name, tokenLabel: this.label };
  }

  /** Closes the sessions (the anchor last, which logs the user out); the connection stays. */
  close(): void {
    this.pool.close(new SigningError('ERR_SIGNER_UNAVAILABLE', `the sessions of token "${this.label}" are closed`));
    if (this.connection.alive) closeQuietly(this.connection.binding, this.anchor);
  }
}

function closeQuietly(binding: Pkcs11Binding, session: Handle): void {
  try {
    binding.C_CloseSession(session);
  } catch {
    // The session is abandoned either way.
  }
}
