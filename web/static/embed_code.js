// The home page's "In your course page" box: the HTML that puts a page of this site into a course page or a learning
// platform, for the page chosen, with a button that copies it. The page opens with ?embed=1: without the site's
// navigation, fitted to its frame (docs/lessons.md, "Lessons in a course page"). The choices are the home page's own
// links, so every page and lesson listed there can be embedded. Without JavaScript the box stays hidden.
const box = document.getElementById("embed");
const choice = document.getElementById("embed-page");
const code = document.getElementById("embed-code");
const copy = document.getElementById("embed-copy");
const opened = document.getElementById("embed-open");
const said = document.getElementById("embed-said");
const HEIGHT = 900; // px: the sandbox and a lesson's playground without scrolling inside the frame at 1,024 px wide

const attribute = (text) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

function show() {
  const url = new URL(choice.value, location.href);
  url.searchParams.set("embed", "1");
  const title = choice.selectedOptions[0].textContent;
  code.value = `<iframe src="${attribute(url.href)}" title="${attribute(title)}" width="100%" height="${HEIGHT}"`
    + ' style="border: 0" loading="lazy"></iframe>';
  opened.href = url.href;
  said.textContent = "";
}

async function copyCode() {
  try {
    await navigator.clipboard.writeText(code.value);
    said.textContent = "Copied. Paste it into your course page's HTML.";
  } catch {
    code.focus();
    code.select();
    said.textContent = "Selected. Press Ctrl+C (⌘C on a Mac) to copy it.";
  }
}

const links = document.querySelectorAll("#sandbox a[href], #lessons a[href]");
for (const link of links) choice.add(new Option(link.textContent, link.getAttribute("href")));
if (links.length) {
  choice.addEventListener("change", show);
  copy.addEventListener("click", copyCode);
  show();
  box.hidden = false;
}
