import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../../src/cli/main.js';
import { CONFIG_VARIABLES } from '../../src/config/index.js';

const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The text of the README section under `## title`, up to the next `## `. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no section "${title}"`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** Every path the Layout tree names, built from its indentation (two spaces a level). */
function layoutPaths(): string[] {
  const block = /```\n([\s\S]*?)```/.exec(section('Layout'))?.[1] ?? '';
  const stack: string[] = [];
  const paths: string[] = [];
  for (const line of block.split('\n')) {
    const match = /^( *)(\S+)/.exec(line);
    if (!match || !/^[\w.-]+\/?$/.test(match[2]!)) continue;
    const depth = match[1]!.length / 2;
    stack.length = depth;
    stack.push(match[2]!.replace(/\/$/, ''));
    paths.push(stack.join('/'));
  }
  return paths;
}

/** Folders of src/ two levels down (src/x, src/x/y), as the Layout must list them. */
function sourceFolders(): string[] {
  const folders = (dir: string) => readdirSync(join(ROOT, dir)).filter((name) => statSync(join(ROOT, dir, name)).isDirectory());
  return folders('src').flatMap((top) => [`src/${top}`, ...folders(`src/${top}`).map((inner) => `src/${top}/${inner}`)]);
}

describe('the docs say what the code is', () => {
  test('every configuration variable is in the README table and in .env.example', () => {
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    for (const variable of CONFIG_VARIABLES) {
      expect({ variable, inReadme: README.includes(`| \`${variable}\` |`) }).toEqual({ variable, inReadme: true });
      expect({ variable, inExample: new RegExp(`^#? ?${variable}=`, 'm').test(example) }).toEqual({ variable, inExample: true });
    }
  });

  test("the README's Layout lists every folder of src/ two levels down, and nothing that is not there", () => {
    const listed = layoutPaths();
    expect(sourceFolders().filter((folder) => !listed.includes(folder))).toEqual([]);
    expect(listed.filter((path) => !statSync(join(ROOT, path), { throwIfNoEntry: false }))).toEqual([]);
  });

  test("the README's command table lists exactly the commands license-vault runs", () => {
    const rows = section('Command line')
      .split('\n')
      .filter((line) => line.startsWith('| `'));
    const documented = rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([\w-]+)/g)].map((match) => match[1]!));
    expect(documented.sort()).toEqual(Object.keys(COMMANDS).sort());
  });
});
