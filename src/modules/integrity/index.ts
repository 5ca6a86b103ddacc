export * from './consistency-check.js';
