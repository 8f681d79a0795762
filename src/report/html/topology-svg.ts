import type { Graphviz } from '@hpcc-js/wasm-graphviz';
import type { VerdictStatus } from '../../verdict/verdict.ts';
import type { Topology, TopologyNode } from '../topology.ts';
import type { Arrow, ArrowEnd } from './arrows.ts';
import { dot } from './escape.ts';

export const verdictColour: Record<VerdictStatus, string> = { confirmed: '#1b7f3b', refuted: '#c62828', inconclusive: '#7a7a7a' };

/** How each end is drawn: the line and the head tell refused, timeout and no-route apart, the colour tells the verdict. */
export const endStyle: Record<ArrowEnd, { style: string; head: string; words: string }> = {
  answered: { style: 'solid', head: 'normal', words: 'answered (solid line, arrow head)' },
  refused: { style: 'solid', head: 'tee', words: 'refused (solid line, bar: turned back at the target)' },
  timeout: { style: 'dashed', head: 'odot', words: 'timeout (dashed line, open circle: no answer)' },
  'no-route': { style: 'dotted', head: 'box', words: 'no route (dotted line, square: never got there)' },
  dns: { style: 'dotted', head: 'diamond', words: 'name did not resolve (dotted line, diamond)' },
  failed: { style: 'dashed', head: 'empty', words: 'failed otherwise (dashed line, hollow head)' },
  unchecked: { style: 'dashed', head: 'empty', words: 'not checked (dashed line, hollow head)' },
};

const nodeStyle: Record<TopologyNode['kind'], string> = {
  host: '',
  'docker-host': '',
  'kind-node': '',
  bridge: 'shape=box, style="filled", fillcolor="#dbe9f6", color="#5b8db8"',
  netns: 'shape=box, style="rounded,filled", fillcolor="#f1efe6", color="#8a8266"',
  container: 'shape=box, style="rounded,filled", fillcolor="#ffffff", color="#444444"',
  pod: 'shape=box, style="rounded,filled", fillcolor="#eef7ee", color="#3c7d3c"',
  'host-netns': 'shape=box, style="rounded,filled,dashed", fillcolor="#f1efe6", color="#8a8266"',
  router: 'shape=hexagon, style="filled", fillcolor="#fde8c8", color="#b3731b"',
  'outside-client': 'shape=box, style="rounded,filled", fillcolor="#fff4e0", color="#b3731b"',
  address: 'shape=box, style="dashed", color="#999999"',
};

const clusterStyle: Partial<Record<TopologyNode['kind'], string>> = {
  host: 'style="rounded"; color="#333333"; bgcolor="#fafafa"',
  'docker-host': 'style="rounded,filled"; color="#5b8db8"; fillcolor="#f3f7fb"',
  'kind-node': 'style="rounded,filled"; color="#3c7d3c"; fillcolor="#f4faf4"',
};

const isMachine = (node: TopologyNode) => node.kind in clusterStyle;
const kindWords: Partial<Record<TopologyNode['kind'], string>> = { 'docker-host': 'Docker host', 'kind-node': 'kind node', host: 'lab host' };

/** The DOT text: machines as nested clusters, interfaces as plain lines, attempts as coloured arrows. */
export function topologyDot(topology: Topology, arrows: readonly Arrow[], extraNodes: readonly TopologyNode[] = []): string {
  const nodes = [...topology.nodes, ...extraNodes];
  const children = (parent: string | undefined) => nodes.filter((n) => n.parent === parent);
  const lines = [
    'digraph topology {',
    '  graph [rankdir=LR, fontname="Helvetica", fontsize=11, nodesep=0.3, ranksep=0.7, compound=true];',
    '  node [fontname="Helvetica", fontsize=10, margin="0.12,0.05"];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  const emit = (parent: string | undefined, indent: string) => {
    for (const node of children(parent)) {
      if (isMachine(node)) {
        lines.push(`${indent}subgraph ${dot(`cluster_${node.id}`)} {`);
        lines.push(`${indent}  ${clusterStyle[node.kind]}; label=${dot(node.kind === 'host' ? `${kindWords.host}${node.detail ? ` (${node.detail})` : ''}` : `${kindWords[node.kind]}: ${node.label}`)}; id=${dot(`machine-${node.id}`)};`);
        emit(node.id, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}${dot(node.id)} [label=${dot(node.label)}, ${nodeStyle[node.kind]}, class=${dot(`place ${node.kind}`)}${node.detail ? `, tooltip=${dot(node.detail)}` : ''}];`);
      }
    }
  };
  emit(undefined, '  ');
  for (const link of topology.links) {
    lines.push(`  ${dot(link.from)} -> ${dot(link.to)} [dir=none, color="#9a9a9a", fontcolor="#555555"${link.label ? `, label=${dot(link.label)}` : ''}, class="link"];`);
  }
  // Arrows take part in the layout (no constraint=false): dot then gives each label its own room.
  for (const arrow of arrows) {
    const style = endStyle[arrow.end];
    const colour = verdictColour[arrow.verdict];
    lines.push(
      `  ${dot(arrow.from)} -> ${dot(arrow.to)} [id=${dot(arrow.id)}, class=${dot(`attempt verdict-${arrow.verdict} end-${arrow.end}`)}, color=${dot(colour)}, fontcolor=${dot(colour)}, penwidth=2, style=${style.style}, arrowhead=${style.head}, label=${dot(arrow.label)}, tooltip=${dot(arrow.tooltip)}, href=${dot(`#claim-${arrow.claim}`)}];`,
    );
  }
  lines.push('}');
  return lines.join('\n');
}

let graphviz: Promise<Graphviz> | undefined;
/** Loads the WebAssembly layout engine once (imported on first use: listing scenarios never pays for it); call early to have it ready when the report is written. */
export const loadGraphviz = (): Promise<Graphviz> => (graphviz ??= import('@hpcc-js/wasm-graphviz').then(({ Graphviz }) => Graphviz.load()));

/** Inline SVG (no XML prolog, no DTD reference: nothing for a browser to fetch). */
export async function renderTopologySvg(topology: Topology, arrows: readonly Arrow[], extraNodes: readonly TopologyNode[] = []): Promise<string> {
  const svg = (await loadGraphviz()).dot(topologyDot(topology, arrows, extraNodes));
  return svg.slice(svg.indexOf('<svg')).replace(/<!--[\s\S]*?-->\n?/g, '');
}
