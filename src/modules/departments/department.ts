/** An issuing department (发证机关). */
export interface DepartmentRecord {
  readonly creditCode: string;
  readonly name: string;
  /** Administrative division code of its jurisdiction. */
  readonly divisionCode: string;
  /** Codes of the license types it may issue. */
  readonly licenseTypes: readonly string[];
  /** Name of the credential it signs with (`departments/{signingKey}.p12`, or `.pem` for a key in a PKCS#11 token); null: it cannot issue. */
  readonly signingKey: string | null;
  /** Its seal image, a PNG path relative to the seals folder, drawn in place of the vector seal; null: the drawn seal. */
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
