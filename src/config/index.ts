export { CONFIG_VARIABLES, loadConfig, type Config } from './config.js';
