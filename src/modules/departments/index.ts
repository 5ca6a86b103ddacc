export * from './department.js';
export { DEMO_DEPARTMENT } from './demo.js';
export * from './manage.js';
