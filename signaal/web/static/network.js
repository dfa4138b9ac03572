// Draws one network with the vendored Cytoscape; the server-rendered list below it works without this.
(function () {
  "use strict";
  var box = document.getElementById("network-graph");
  if (!box || typeof window.cytoscape !== "function") { return; }
  var detail = document.getElementById("network-detail");
  var colours = { signal: "#1f6feb", ad_group: "#8250df", registration: "#0a7d6c", person: "#bf3989", identifier: "#9a6700" };
  var shapes = { signal: "round-rectangle", ad_group: "round-rectangle", registration: "round-rectangle", person: "ellipse", identifier: "diamond" };
  fetch(box.getAttribute("data-src"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (net) {
      var elements = [];
      net.nodes.forEach(function (n) {
        elements.push({ group: "nodes", data: { id: n.id, label: n.label, type: n.type, info: n } });
      });
      net.edges.forEach(function (e, i) {
        elements.push({ group: "edges", data: { id: "e" + i, source: e.source, target: e.target, type: e.type, info: e } });
      });
      var big = net.nodes.length > 200;
      var cy = window.cytoscape({
        container: box,
        elements: elements,
        style: [
          { selector: "node", style: { "label": big ? "" : "data(label)", "font-size": 9, "width": 14, "height": 14,
            "background-color": function (n) { return colours[n.data("type")] || "#666"; },
            "shape": function (n) { return shapes[n.data("type")] || "ellipse"; } } },
          { selector: "edge", style: { "width": 1, "line-color": "#999", "curve-style": "haystack" } },
          { selector: "edge[type = 'on_case']", style: { "line-color": "#bf3989" } },
          { selector: ":selected", style: { "border-width": 3, "border-color": "#000" } }
        ],
        layout: { name: big ? "concentric" : "cose", animate: false },
        wheelSensitivity: 0.3
      });
      box.setAttribute("data-drawn", String(net.nodes.length));
      cy.on("tap", "node, edge", function (evt) {
        if (detail) { detail.textContent = JSON.stringify(evt.target.data("info"), null, 2); }
      });
    })
    .catch(function () { box.setAttribute("data-failed", "true"); });
})();
