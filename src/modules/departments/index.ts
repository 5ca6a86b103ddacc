export * from './department.js';
