// Typesets the lessons' maths with the site's own KaTeX: the build leaves the TeX as the text of
// <span class="math inline"> and <div class="math block"> (playground/lessons/render.py). TeX that KaTeX
// cannot read shows in red with its error as a tooltip, never breaks the page.
function typeset() {
  if (!window.katex) return;
  document.querySelectorAll(".math").forEach((element) => {
    if (element.dataset.typeset) return;
    window.katex.render(element.textContent, element, {
      displayMode: element.classList.contains("block"), throwOnError: false, output: "htmlAndMathml",
    });
    element.dataset.typeset = "true";
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", typeset);
else typeset();
