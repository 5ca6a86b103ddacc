/** An issuing department (发证机关). */
export interface DepartmentRecord {
  readonly creditCode: string;
  readonly name: string;
  /** Administrative division code of its jurisdiction. */
  readonly divisionCode: string;
  /** Codes of the license types it may issue. */
  readonly licenseTypes: readonly string[];
  /** Name of its signing credential under the certs directory, once provisioned. */
  readonly signingKey: string | null;
  /** Seal image configured for it, or null for the drawn vector seal. */
  readonly sealImage: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface DepartmentRepository {
  /** Throws ERR_STORE_DUPLICATE if the credit code exists. */
  insert(department: DepartmentRecord): Promise<void>;
  /** Replaces the stored record; throws ERR_STORE_NOT_FOUND when absent. */
  update(department: DepartmentRecord): Promise<void>;
  get(creditCode: string): Promise<DepartmentRecord | null>;
  /** Ordered by credit code. */
  list(): Promise<readonly DepartmentRecord[]>;
}
