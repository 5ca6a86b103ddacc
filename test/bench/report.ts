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
