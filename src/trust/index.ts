// Who may report and who may read: devices and their credentials, the server's certificate authority, operators and their roles.
export { authorityDir, CertificateAuthority, pkcs12, type IssuedCertificate } from './authority.js';
export { enrolDevice, deviceFiles, readDeviceFiles, type EnrolledDevice } from './enrol.js';
export { takDataPackage, type DataPackage, type DataPackageOptions } from './data-package.js';
export { checkPassword, hashPassword, verifyPassword, MIN_PASSWORD_CHARS } from './passwords.js';
export { isRole, parseRole, roleAtLeast, ROLES, type Role } from './roles.js';
export { mayReport, openTrustStore, TrustRegistry, unknownDevice, type DeviceCredential, type RegistryOptions } from './registry.js';
export { PgTrustDb } from './pg-trust-db.js';
export {
  DEVICE_NAME_PATTERN, DEVICE_TOKEN_PATTERN, hashToken, newDeviceToken, TrustDb,
  type Acknowledgement, type DeviceRow, type TrustStore, type UserRow,
} from './trust-db.js';
