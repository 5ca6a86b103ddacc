export * from './license-type.js';
