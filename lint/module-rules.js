/**
 * Lint rules for the modules under src/modules: each is read through its
 * index.ts, and no two depend on each other. Both follow relative import
 * paths (`../licenses/index.js`), type-only imports included: a cycle of
 * types alone still means no module of it can be read without the others,
 * which import-x/no-cycle (value imports only) does not see.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const MODULES = resolve(import.meta.dirname, '..', 'src', 'modules');

/** The module a file lies in (`licenses` for src/modules/licenses/…), or null outside src/modules. */
function moduleOf(file) {
  const parts = relative(MODULES, file).split(sep);
  return parts.length > 1 && parts[0] !== '..' && parts[0] !== '' ? parts[0] : null;
}

/** Where a relative import points, or null for a package. */
function targetOf(specifier, importer) {
  return specifier.startsWith('./') || specifier.startsWith('../') ? resolve(dirname(importer), specifier) : null;
}

/** Calls `check(sourceNode)` for every import and re-export with a string source, type-only ones included. */
function importVisitor(check) {
  const visit = (node) => {
    if (node.source?.type === 'Literal' && typeof node.source.value === 'string') check(node.source);
  };
  return { ImportDeclaration: visit, ExportNamedDeclaration: visit, ExportAllDeclaration: visit, ImportExpression: visit };
}

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

let dependencies = null;

/**
 * Module → the other modules its files import, as the files on disk say. Read
 * once per lint run (a few milliseconds): the file being linted adds its own
 * imports from its source text, so a cycle it would close is seen either way.
 */
function moduleDependencies() {
  if (dependencies) return dependencies;
  dependencies = new Map();
  for (const file of filesUnder(MODULES)) {
    const from = moduleOf(file);
    if (from === null) continue;
    const edges = dependencies.get(from) ?? new Set();
    dependencies.set(from, edges);
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      const target = targetOf(fileName, file);
      const to = target && moduleOf(target);
      if (to && to !== from) edges.add(to);
    }
  }
  return dependencies;
}

/** The shortest chain of module imports from `start` to `goal` (both included), or null. */
function pathBetween(start, goal) {
  const cameFrom = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const current = queue.shift();
    if (current === goal) {
      const path = [];
      for (let step = goal; step !== null; step = cameFrom.get(step)) path.unshift(step);
      return path;
    }
    for (const next of moduleDependencies().get(current) ?? []) {
      if (!cameFrom.has(next)) {
        cameFrom.set(next, current);
        queue.push(next);
      }
    }
  }
  return null;
}

const entryThroughIndex = {
  meta: {
    type: 'problem',
    docs: { description: 'Another module is imported only through its index.ts (modules/<name>/index.js).' },
    schema: [],
    messages: {
      deep: 'Import {{module}} through modules/{{module}}/index.js, not {{file}}: a module is used only through what its index.ts exports (export it there if it is meant to be used).',
    },
  },
  create(context) {
    const importer = context.filename;
    const own = moduleOf(importer);
    return importVisitor((source) => {
      const target = targetOf(source.value, importer);
      const module = target && moduleOf(target);
      if (!module || module === own) return;
      const file = relative(join(MODULES, module), target).split(sep).join('/');
      if (file !== 'index.js') context.report({ node: source, messageId: 'deep', data: { module, file: `modules/${module}/${file}` } });
    });
  },
};

const noModuleCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'No two modules under src/modules depend on each other, by any path, type-only imports included.' },
    schema: [],
    messages: {
      cycle:
        'modules/{{from}} may not import modules/{{to}}: {{to}} already depends on {{from}} ({{path}}), and the modules would form a cycle. Move what both need into one of them, or pass it in as a port.',
    },
  },
  create(context) {
    const from = moduleOf(context.filename);
    if (from === null) return {};
    return importVisitor((source) => {
      const target = targetOf(source.value, context.filename);
      const to = target && moduleOf(target);
      if (!to || to === from) return;
      const back = pathBetween(to, from);
      if (back) context.report({ node: source, messageId: 'cycle', data: { from, to, path: back.join(' → ') } });
    });
  },
};

export default {
  meta: { name: 'license-vault-modules' },
  rules: { 'entry-through-index': entryThroughIndex, 'no-module-cycle': noModuleCycle },
};
