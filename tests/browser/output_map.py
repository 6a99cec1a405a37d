"""The sandbox's output map in the page, for the browser tests: the canvas of the figure after "Showing the output",
found through the widgets' shadow roots."""

# A JavaScript expression: the map's element, or null.
FIND_MAP = """(() => {
  const find = (root) => {
    for (const element of root.querySelectorAll("*")) {
      if (!element.shadowRoot) continue;
      const text = element.shadowRoot.textContent;
      if (text.includes("Showing the output") && !element.shadowRoot.querySelector("[class*='Figure']")) {
        let next = element.nextElementSibling;
        while (next && !String(next.className).includes("Figure")) next = next.nextElementSibling;
        if (next) return next;
      }
      const inside = find(element.shadowRoot);
      if (inside) return inside;
    }
    return null;
  };
  return find(document);
})()"""
# Where the map is in the window, or null.
MAP_BOX = f"""() => {{
  const map = {FIND_MAP};
  if (!map) return null;
  const box = map.getBoundingClientRect();
  return {{ left: box.left, right: box.right, width: box.width, height: box.height }};
}}"""
# The map scrolled to the middle of the window: its centre, in the window's coordinates.
MAP_CENTRE = f"""() => {{
  const map = {FIND_MAP};
  map.scrollIntoView({{ block: "center" }});
  const box = map.getBoundingClientRect();
  return {{ x: box.left + box.width / 2, y: box.top + box.height / 2 }};
}}"""
