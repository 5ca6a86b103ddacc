/** One measured figure of a benchmark section, with the peer measured in the same run. */
export interface Figure {
  readonly name: string;
  readonly ours: string;
  readonly peer?: { readonly name: string; readonly value: string };
  /** ours / peer, as a multiple; higher is better unless the figure says otherwise. */
  readonly ratio?: number;
  readonly target?: string;
  readonly met?: boolean;
}

export interface Section {
  readonly title: string;
  readonly figures: readonly Figure[];
  readonly notes: readonly string[];
}

export const fixed = (n: number, digits = 1): string => n.toFixed(digits);
export const whole = (n: number): string => Math.round(n).toLocaleString('en-US');

export function sectionMarkdown(section: Section): string {
  const lines = [`## ${section.title}`, '', '| figure | ours | peer (same run) | ratio | target | met |', '|---|---:|---|---:|---|:-:|'];
  for (const figure of section.figures) {
    const peer = figure.peer ? `${figure.peer.name}: ${figure.peer.value}` : '—';
    const ratio = figure.ratio === undefined ? '—' : `${figure.ratio.toFixed(1)}×`;
    const met = figure.met === undefined ? '—' : figure.met ? 'yes' : '**no**';
    lines.push(`| ${figure.name} | ${figure.ours} | ${peer} | ${ratio} | ${figure.target ?? '—'} | ${met} |`);
  }
  if (section.notes.length > 0) lines.push('', ...section.notes.map((note) => `- ${note}`));
  return `${lines.join('\n')}\n`;
}

/** Where one request's CPU went, as a figure: `main / other threads / autocannon` in ms, with the ceiling that CPU sets on `cores`. */
export function cpuFigure(label: string, cpu: { readonly main: number; readonly otherThreads: number; readonly loadGenerator: number } | null, cores: number): Figure {
  if (!cpu) return { name: `${label}CPU per request (ms)`, ours: 'not measured (no /proc)' };
  const total = cpu.main + cpu.otherThreads + cpu.loadGenerator;
  const ceiling = Math.min(1000 / cpu.main, (1000 * cores) / total);
  return {
    name: `${label}CPU per request, ms: server main thread / server other threads / autocannon (ceiling on ${cores} cores)`,
    ours: `${cpu.main.toFixed(2)} / ${cpu.otherThreads.toFixed(2)} / ${cpu.loadGenerator.toFixed(2)} (≤ ${whole(ceiling)}/s)`,
  };
}
