// Draws a transaction graph with cytoscape and the dagre layout (libraries pinned in package-lock.json, copied into
// wwwroot/lib by the build). Blazor calls threadlineGraph.render; a tapped node calls back SelectNode(id), and, with
// options.edges (the system map), a tapped edge SelectEdge(id).
(function () {
  const shapes = {
    function: 'round-rectangle', queue: 'rectangle', topic: 'diamond', stream: 'barrel', table: 'cut-rectangle',
    bucket: 'round-tag', bus: 'hexagon', api: 'round-pentagon', host: 'ellipse'
  };
  const colours = {
    function: '#2b88d8', queue: '#8764b8', topic: '#c239b3', stream: '#00b7c3', table: '#498205',
    bucket: '#ca5010', bus: '#986f0b', api: '#0078d4', host: '#69797e'
  };

  function style() {
    return [
      {
        selector: 'node', style: {
          'label': 'data(label)', 'color': '#f3f3f3', 'font-size': 12, 'text-valign': 'bottom', 'text-margin-y': 6,
          'shape': (n) => shapes[n.data('kind')] || 'ellipse', 'background-color': (n) => colours[n.data('kind')] || '#69797e',
          'width': 44, 'height': 32, 'border-width': 2, 'border-color': '#1f1f1f'
        }
      },
      { selector: 'node[?failed]', style: { 'border-color': '#ff5f5f', 'border-width': 5 } },
      { selector: 'node:selected', style: { 'overlay-color': '#ffffff', 'overlay-opacity': 0.2, 'overlay-padding': 6 } },
      {
        selector: 'edge', style: {
          'label': 'data(label)', 'color': '#c8c8c8', 'font-size': 10, 'text-background-color': '#1f1f1f',
          'text-background-opacity': 1, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'width': 2,
          'line-color': '#8a8a8a', 'target-arrow-color': '#8a8a8a'
        }
      },
      { selector: 'edge[?async]', style: { 'line-style': 'dashed' } },
      { selector: 'edge[?failed]', style: { 'line-color': '#ff5f5f', 'target-arrow-color': '#ff5f5f' } }
    ];
  }

  const graphs = new WeakMap();

  window.threadlineGraph = {
    render(element, nodes, edges, callback, options) {
      const settings = options || {};
      const old = graphs.get(element);
      if (old) old.destroy();
      const cy = cytoscape({
        container: element,
        elements: {
          nodes: nodes.map((n) => ({ data: { id: n.id, label: n.label, kind: n.kind, failed: n.failed } })),
          edges: edges.map((e) => ({ data: { id: e.id, source: e.source, target: e.target, label: e.label, async: e.async, failed: !!e.failed } }))
        },
        style: style(),
        maxZoom: 1.5,
        layout: { name: 'dagre', rankDir: 'LR', nodeSep: settings.nodeSep || 40, rankSep: settings.rankSep || 90 }
      });
      cy.on('tap', 'node', (evt) => callback.invokeMethodAsync('SelectNode', evt.target.id()));
      if (settings.edges) cy.on('tap', 'edge', (evt) => callback.invokeMethodAsync('SelectEdge', evt.target.id()));
      graphs.set(element, cy);
      element.dataset.nodeCount = String(cy.nodes().length);
      element.dataset.edgeCount = String(cy.edges().length);
    },
    select(element, id) {
      const cy = graphs.get(element);
      if (!cy) return;
      cy.nodes().unselect();
      if (id) cy.getElementById(id).select();
    },
    dispose(element) {
      const cy = graphs.get(element);
      if (cy) { cy.destroy(); graphs.delete(element); }
    }
  };
})();
