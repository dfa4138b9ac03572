// Draws the picture of one group of ads with the vendored Cytoscape; the lists beside it work without this.
(function () {
  "use strict";
  var box = document.getElementById("group-graph");
  var source = document.getElementById("group-graph-data");
  if (!box || !source || typeof window.cytoscape !== "function") { return; }
  var colours = { ad: "#1d70b8", contact: "#9a6700", hub: "#d4351c", city: "#0a7d6c" };
  var shapes = { ad: "round-rectangle", contact: "diamond", hub: "diamond", city: "ellipse" };
  var graph = JSON.parse(source.textContent);
  var elements = [];
  graph.nodes.forEach(function (n) { elements.push({ group: "nodes", data: n }); });
  graph.edges.forEach(function (e, i) { elements.push({ group: "edges", data: { id: "e" + i, source: e.source, target: e.target } }); });
  window.cytoscape({
    container: box,
    elements: elements,
    style: [
      { selector: "node", style: { "label": "data(label)", "font-size": 10, "width": 16, "height": 16,
        "background-color": function (n) { return colours[n.data("type")] || "#666"; },
        "shape": function (n) { return shapes[n.data("type")] || "ellipse"; } } },
      { selector: "node[type = 'hub']", style: { "width": 28, "height": 28, "font-weight": "bold" } },
      { selector: "edge", style: { "width": 1, "line-color": "#999", "curve-style": "haystack" } }
    ],
    layout: { name: graph.nodes.length > 150 ? "concentric" : "cose", animate: false },
    wheelSensitivity: 0.3
  });
  box.setAttribute("data-drawn", String(graph.nodes.length));
})();
