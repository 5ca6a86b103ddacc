export { CONFIG_VARIABLES, loadConfig, requirePkcs11, type Config, type Pkcs11Settings, type StaffSignInSettings } from './config.js';
