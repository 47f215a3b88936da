// Collaboration graph: draws every [data-graph] container with Cytoscape from the JSON
// the server put in the json_script element the attribute names. The page works without
// it (the edge table); this only adds the picture. Loaded as a static file for the CSP.
//
// A whole catalog of thousands of agents is one unreadable disc, so above OVERVIEW_FROM nodes
// the main graph opens on an overview: one node per collection (sized by its agents), edges
// aggregated between collections (sized by their count). Clicking a collection expands it
// into its agents by adding ?collection= to the URL; ?focus= and ?view=agents also show
// agents, so every view is a link.
//
// Signals for tests and benchmarks: a drawn container gets data-graph-ready and
// data-graph-nodes / data-graph-edges; the main graph also sets window.graphReady and
// window.graphReadyAt (ms since navigation start).
"use strict";

(() => {
  // Must match the .kind-* swatches in css/graph.css.
  const EDGE_STYLES = {
    receives_from: { color: "#2b8a3e", line: "solid", arrow: "triangle" },
    hands_off_to: { color: "#1c7ed6", line: "solid", arrow: "triangle" },
    peer: { color: "#7048e8", line: "dashed", arrow: "none" },
    delegates_to: { color: "#e8590c", line: "solid", arrow: "triangle" },
    excludes: { color: "#c92a2a", line: "dotted", arrow: "tee" },
    mentions: { color: "#868e96", line: "dashed", arrow: "vee" },
  };
  const PALETTE = [
    "#4c6ef5", "#12b886", "#fab005", "#e64980", "#15aabf", "#82c91e", "#be4bdb", "#fd7e14",
    "#228be6", "#40c057", "#f76707", "#7950f2", "#0ca678", "#e8590c", "#5c7cfa", "#d6336c",
  ];
  const DANGLING = "#adb5bd";
  const COSE_LIMIT = 300; // above this many nodes, a force layout costs seconds; use rings by degree
  const OVERVIEW_FROM = 300; // the page's data-graph-overview-from overrides it (views/graph.py)
  const OUTSIDE = "not in the catalog";

  function readData(id) {
    const script = document.getElementById(id);
    return script ? JSON.parse(script.textContent) : { nodes: [], edges: [], focus: [] };
  }

  function collectionColours(nodes) {
    const slugs = [...new Set(nodes.filter((n) => !n.dangling).map((n) => n.collection))].sort();
    return new Map(slugs.map((slug, i) => [slug, PALETTE[i % PALETTE.length]]));
  }

  function elements(data, colours) {
    const nodes = data.nodes.map((n) => ({
      group: "nodes",
      data: { ...n, colour: n.dangling ? DANGLING : colours.get(n.collection) },
    }));
    const edges = data.edges.map((e, i) => ({
      group: "edges",
      data: { id: `e${i}`, source: e.source, target: e.target, kind: e.kind, evidence: e.evidence, count: e.count || 1 },
    }));
    return nodes.concat(edges);
  }

  function wantsOverview(data) {
    const params = new URLSearchParams(window.location.search);
    const narrowed = params.getAll("collection").some(Boolean) || (params.get("focus") || "").trim();
    const main = document.querySelector("[data-graph-main]");
    const from = Number(main?.dataset.graphOverviewFrom || OVERVIEW_FROM);
    return data.nodes.length > from && !narrowed && params.get("view") !== "agents";
  }

  // Collections as nodes, edges summed per (source collection, target collection, kind).
  function overview(data) {
    const home = new Map(data.nodes.map((n) => [n.id, n.dangling ? OUTSIDE : n.collection]));
    const members = new Map();
    for (const n of data.nodes) {
      const group = home.get(n.id);
      if (!members.has(group)) members.set(group, []);
      members.get(group).push(n.label.toLowerCase());
    }
    const sums = new Map();
    for (const e of data.edges) {
      const key = `${home.get(e.source)}\u0000${home.get(e.target)}\u0000${e.kind}`;
      sums.set(key, (sums.get(key) || 0) + 1);
    }
    const nodes = [...members].map(([group, labels]) => ({
      id: `group:${group}`,
      label: `${group} (${labels.length})`,
      collection: group,
      dangling: group === OUTSIDE,
      members: labels,
      degree: labels.length,
    }));
    const edges = [...sums].map(([key, count]) => {
      const [source, target, kind] = key.split("\u0000");
      return { source: `group:${source}`, target: `group:${target}`, kind, count, evidence: `${count} edge(s)` };
    });
    return { nodes, edges, focus: [] };
  }

  function overviewStyles(rules, data) {
    const most = Math.max(1, ...data.nodes.map((n) => n.degree));
    const heaviest = Math.max(1, ...data.edges.map((e) => e.count));
    rules.push(
      { selector: "node", style: { width: `mapData(degree, 1, ${most}, 18, 90)`, height: `mapData(degree, 1, ${most}, 18, 90)`, "font-size": 12 } },
      { selector: "edge", style: { width: `mapData(count, 1, ${heaviest}, 1, 14)`, "curve-style": "bezier", "target-arrow-shape": "triangle", "arrow-scale": 0.6 } },
      { selector: "edge[source = target]", style: { "curve-style": "bezier", "loop-direction": "0deg", "loop-sweep": "-60deg" } },
    );
    return rules;
  }

  function expand(group) {
    const params = new URLSearchParams(window.location.search);
    params.delete("view");
    if (group === OUTSIDE) params.set("view", "agents");
    else params.set("collection", group);
    window.location.assign(`${window.location.pathname}?${params}`);
  }

  function stylesheet(count) {
    const css = getComputedStyle(document.documentElement);
    const text = css.getPropertyValue("--fg").trim() || "#222";
    const rules = [
      {
        selector: "node",
        style: {
          "background-color": "data(colour)",
          label: "data(label)",
          color: text,
          "font-size": 10,
          "min-zoomed-font-size": 7,
          "text-valign": "bottom",
          "text-margin-y": 3,
          width: "mapData(degree, 0, 20, 14, 40)",
          height: "mapData(degree, 0, 20, 14, 40)",
        },
      },
      {
        selector: "node[?dangling]",
        style: { "background-opacity": 0.15, "border-width": 2, "border-style": "dashed", "border-color": "#868e96", color: "#868e96" },
      },
      { selector: "node.focused", style: { "border-width": 4, "border-color": "#f03e3e", "border-style": "solid", "z-index": 10 } },
      { selector: "node.faded, edge.faded", style: { opacity: 0.2 } },
      { selector: "edge", style: { width: 1.5, "curve-style": "bezier", "arrow-scale": 0.8, opacity: 0.8 } },
    ];
    if (count > COSE_LIMIT) {
      // Straight "haystack" edges are the cheapest Cytoscape draws; at this scale arrows are unreadable anyway.
      rules.push({ selector: "edge", style: { "curve-style": "haystack", "haystack-radius": 0, width: 1 } });
    }
    for (const [kind, s] of Object.entries(EDGE_STYLES)) {
      rules.push({
        selector: `edge[kind = "${kind}"]`,
        style: { "line-color": s.color, "line-style": s.line, "target-arrow-color": s.color, "target-arrow-shape": s.arrow },
      });
    }
    return rules;
  }

  function layout(count) {
    if (count <= COSE_LIMIT) {
      return { name: "cose", animate: false, randomize: true, numIter: 1000, nodeDimensionsIncludeLabels: false };
    }
    return {
      name: "concentric",
      animate: false,
      concentric: (node) => node.data("degree"),
      levelWidth: () => 2,
      minNodeSpacing: 4,
      avoidOverlap: false,
    };
  }

  function highlight(cy, ids) {
    cy.elements().removeClass("focused faded");
    if (ids.length === 0) return;
    const focused = cy.collection(ids.map((id) => cy.getElementById(id)).filter((n) => n.nonempty()));
    if (focused.empty()) return;
    const near = focused.closedNeighborhood();
    cy.elements().not(near).addClass("faded");
    focused.addClass("focused");
    cy.fit(near, 40);
  }

  function matching(cy, text) {
    const wanted = text.trim().toLowerCase();
    if (!wanted) return [];
    const exact = cy.nodes().filter((n) => n.id().toLowerCase() === wanted || n.data("label").toLowerCase() === wanted);
    const found = exact.nonempty() ? exact : cy.nodes().filter((n) => n.data("label").toLowerCase().startsWith(wanted));
    return found.map((n) => n.id());
  }

  // In the overview, typing a name highlights the collections that hold a matching agent.
  function groupsWith(cy, text) {
    const wanted = text.trim().toLowerCase();
    if (!wanted) return [];
    return cy.nodes().filter((n) => n.data("members").some((label) => label.startsWith(wanted))).map((n) => n.id());
  }

  function legend(list, colours, data) {
    list.replaceChildren();
    for (const [slug, colour] of colours) {
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.backgroundColor = colour; // CSSOM, which the CSP allows
      item.append(swatch, slug);
      list.append(item);
    }
    if (data.nodes.some((n) => n.dangling)) {
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch dangling";
      item.append(swatch, "not in the catalog");
      list.append(item);
    }
    list.hidden = list.children.length === 0;
  }

  function draw(container, full = readData(container.dataset.graph)) {
    if (typeof window.cytoscape !== "function") return;
    const grouped = container.hasAttribute("data-graph-main") && wantsOverview(full);
    const data = grouped ? overview(full) : full;
    const colours = collectionColours(data.nodes);
    if (container.cy) container.cy.destroy();
    container.hidden = false;
    container.removeAttribute("data-graph-ready");
    const cy = window.cytoscape({
      container,
      elements: elements(data, colours),
      style: grouped ? overviewStyles(stylesheet(0), data) : stylesheet(data.nodes.length),
      layout: grouped ? { name: "cose", animate: false, randomize: false, nodeDimensionsIncludeLabels: true } : layout(data.nodes.length),
      minZoom: 0.05,
      maxZoom: 4,
      wheelSensitivity: 0.3,
      textureOnViewport: data.nodes.length > COSE_LIMIT,
      hideEdgesOnViewport: data.nodes.length > COSE_LIMIT,
      pixelRatio: data.nodes.length > COSE_LIMIT ? 1 : "auto",
    });
    container.cy = cy;
    cy.on("tap", "node", (event) => {
      if (grouped) return expand(event.target.data("collection"));
      const url = event.target.data("url");
      if (url) window.location.assign(url);
    });
    cy.on("mouseover", "node", (event) => {
      const label = event.target.data("label");
      if (grouped) container.title = `${label}: click to show its agents`;
      else container.title = event.target.data("url") ? `${label}: click to open` : `${label} (not in the catalog)`;
    });
    highlight(cy, data.focus || []);
    container.dataset.graphNodes = String(cy.nodes().length);
    container.dataset.graphEdges = String(cy.edges().length);
    container.dataset.graphView = grouped ? "overview" : "agents";
    container.dataset.graphReady = "true";
    if (container.hasAttribute("data-graph-main")) {
      const list = document.querySelector("[data-graph-legend]");
      if (list) legend(list, colours, data);
      window.agentdashGraph = cy;
      window.graphReadyAt = performance.now();
      window.graphReady = true;
    }
  }

  function start() {
    document.querySelectorAll("[data-graph]").forEach((container) => draw(container));

    const main = document.querySelector("[data-graph-main]");
    const focus = document.querySelector("[data-graph-focus]");
    if (main && focus) {
      // Typing highlights in place; committing the box (change) reloads the neighbourhood via htmx.
      focus.addEventListener("input", () => {
        if (!main.cy) return;
        if (main.dataset.graphView === "overview") highlight(main.cy, groupsWith(main.cy, focus.value));
        else highlight(main.cy, matching(main.cy, focus.value));
      });
    }
    // htmx swaps the table; the graph follows with the JSON twin of the same filters,
    // since htmx (allowScriptTags: false) drops the json_script a fragment could carry.
    const form = document.querySelector("[data-graph-filters]");
    let pending = null;
    document.body.addEventListener("htmx:afterSwap", (event) => {
      if (!main || !form || !event.detail.target || event.detail.target.id !== "results") return;
      window.graphReady = false;
      main.removeAttribute("data-graph-ready");
      const query = new URLSearchParams(new FormData(form));
      query.set("format", "json");
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(`${form.getAttribute("action")}?${query}`, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : Promise.reject(new Error(response.statusText))))
        .then((data) => draw(main, data))
        .catch((error) => {
          if (error.name !== "AbortError") console.warn("graph reload failed", error);
        });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
