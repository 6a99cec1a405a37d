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
# A fingerprint of the map's pixels (a weighted sum over every canvas under it): it changes when the map is redrawn
# with other colours.
MAP_PIXELS = f"""() => {{
  const map = {FIND_MAP};
  let total = 0;
  const walk = (root) => {{ for (const element of root.querySelectorAll("*")) {{
    if (element.shadowRoot) walk(element.shadowRoot);
    if (element.tagName !== "CANVAS" || !element.width) continue;
    const pixels = element.getContext("2d").getImageData(0, 0, element.width, element.height).data;
    for (let i = 0; i < pixels.length; i += 3) total += pixels[i] * ((i % 97) + 1);
  }} }};
  walk(map.shadowRoot || map);
  return total;
}}"""
