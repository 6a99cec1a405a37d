// Lesson pages: where each document root goes, the tasks' check marks and the progress kept in the browser.
// The app (playground/lessons/app.py) names its roots "lesson-toolbar", "lesson-playground" and
// "lesson-view-NAME"; each goes into the page's matching <div class="lesson-embed">, other roots into #app.
// The done tasks come from Python as the value of a hidden input (class pg-lesson-progress, a JSON list of
// task ids); they are stored in localStorage, each with the time it was first seen done, under the site's path and the
// lesson's slug (two courses on one host keep apart), and written back to Python at start. "Download my progress"
// gives them as a JSON file a teacher can check. On the home page, each lesson of the catalogue shows how many of its
// tasks are done. The answers to predict and choice tasks (task_answers.js) are kept beside them (key ...:answers) and
// travel both ways through another hidden input (class pg-lesson-answers): the student's to Python, Python's judged
// predictions back.
import { answersFrom, enhanceTasks, mergeAnswers, noAnswers, showAnswers } from "./task_answers.js";

const PROGRESS_CLASS = "pg-lesson-progress";
const ANSWERS_CLASS = "pg-lesson-answers";
const slug = document.body.dataset.lesson;
const sitePath = location.pathname.replace(/[^/]*$/, ""); // "/course/" for /course/lesson-01.html and /course/
const storageKey = (lesson) => `nn-playground:${sitePath}:lesson:${lesson}`;
const oldStorageKey = (lesson) => `nn-playground:lesson:${lesson}`; // before the site's path: a list of task ids

// The element a document root is rendered into: its lesson placeholder, or #app.
export function rootContainer(docs, id) {
  const root = Object.values(docs)[0].roots.find((model) => model.id === id);
  const name = (root && root.attributes && root.attributes.name) || "";
  const match = /^lesson-(?:view-(.+)|(.+))$/.exec(name);
  const selector = !match ? null : match[1] ? `.lesson-embed[data-embed="view"][data-view="${match[1]}"]`
    : `.lesson-embed[data-embed="${match[2]}"]`;
  return (selector && document.querySelector(selector)) || document.getElementById("app");
}

// {task id: ISO time it was first seen done} of a lesson. Progress kept before keys had the site's path (a list of
// ids, no times) moves to this site's key the first time it is read, so it is not shared with another course.
function storedTimes(lesson = slug) {
  try {
    let stored = JSON.parse(localStorage.getItem(storageKey(lesson)));
    if (stored === null) {
      const old = JSON.parse(localStorage.getItem(oldStorageKey(lesson)));
      stored = Object.fromEntries((Array.isArray(old) ? old : []).map((id) => [id, null]));
      if (old !== null) {
        localStorage.setItem(storageKey(lesson), JSON.stringify(stored));
        localStorage.removeItem(oldStorageKey(lesson));
      }
    }
    const entries = stored && typeof stored === "object" && !Array.isArray(stored) ? Object.entries(stored) : [];
    return Object.fromEntries(entries.filter(([, time]) => time === null || typeof time === "string"));
  } catch {
    return {}; // storage blocked or a stale value: start with no task done
  }
}

const storedProgress = (lesson = slug) => Object.keys(storedTimes(lesson));

const answersKey = () => `${storageKey(slug)}:answers`;

function storedAnswers() {
  try {
    return answersFrom(JSON.parse(localStorage.getItem(answersKey())));
  } catch {
    return noAnswers();
  }
}

// Keeps `answers` (merged into the stored ones) and shows them; a right choice is a done task.
function keepAnswers(answers) {
  const stored = storedAnswers();
  const merged = mergeAnswers(stored, answers);
  try {
    if (JSON.stringify(merged) !== JSON.stringify(stored)) localStorage.setItem(answersKey(), JSON.stringify(merged));
  } catch {
    // private mode or storage full, as store()
  }
  const done = showAnswers(merged);
  if (done.some((id) => !storedProgress().includes(id))) {
    store(done);
    showProgress(storedProgress());
  }
  return merged;
}

let answersInput = null; // Python's, once the app is on the page

// The student commits a prediction or checks a choice: kept and shown at once, then handed to Python (which judges the
// prediction once its run is decided); before Python has started, it hears the stored answers when it does.
function answer(taskId, kind, option) {
  const given = noAnswers();
  if (kind === "predict") given.predicted[taskId] = option;
  else given.picked[taskId] = [option];
  const answers = keepAnswers(given);
  if (answersInput) answersInput.value = JSON.stringify(answers);
}

function store(ids) {
  const times = storedTimes();
  const now = new Date().toISOString();
  for (const id of ids) if (!(id in times)) times[id] = now;
  try {
    localStorage.setItem(storageKey(slug), JSON.stringify(times));
  } catch {
    // private mode or storage full: the check marks still show, they are just not remembered
  }
}

// What "Download my progress" gives: the lesson, its done tasks with the time each was first seen done, the site.
function progressReport() {
  const times = storedTimes();
  return {
    lesson: slug,
    site: location.origin + sitePath,
    exported: new Date().toISOString(),
    tasks_total: document.querySelectorAll(".lesson-tasks [data-task]").length,
    tasks_done: Object.entries(times).map(([id, done]) => ({ id, done })),
    answers: storedAnswers(),
  };
}

function downloadProgress() {
  const file = new Blob([JSON.stringify(progressReport(), null, 2) + "\n"], { type: "application/json" });
  const link = Object.assign(document.createElement("a"), {
    href: URL.createObjectURL(file), download: `progress-${slug}.json`,
  });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}

// Marks each task of the list done or not: data-done for tests and styles, words for screen readers.
function showProgress(ids) {
  const tasks = document.querySelectorAll(".lesson-tasks [data-task]");
  document.querySelectorAll(".lesson-tasks").forEach((list) => list.classList.add("tracked"));
  let done = 0;
  tasks.forEach((task) => {
    const passed = ids.includes(task.dataset.task);
    done += passed;
    if (task.dataset.done === String(passed)) return;
    task.dataset.done = passed;
    let mark = task.querySelector(".task-mark");
    if (!mark) {
      mark = task.insertBefore(document.createElement("span"), task.firstChild);
      mark.className = "task-mark";
    }
    mark.textContent = passed ? "✓ done" : "to do";
  });
  const summary = document.getElementById("lesson-progress");
  if (summary && tasks.length) summary.textContent = done === tasks.length ? `All ${done} tasks done`
    : `${done} of ${tasks.length} tasks done`;
  const forget = document.getElementById("lesson-forget");
  if (forget) forget.hidden = done === 0;
}

// "Forget my progress" (a shared classroom computer): the stored tasks go, the lesson starts again.
function forgetProgress() {
  try {
    localStorage.removeItem(storageKey(slug));
    localStorage.removeItem(answersKey());
  } catch {
    // nothing was stored
  }
  location.reload();
}

// Once the app is on the page: follow Python's done tasks, and hand it those stored by an earlier visit.
export function followProgress(jsdoc) {
  if (!slug) return;
  const input = [...jsdoc.all_models].find((model) => (model.css_classes || []).includes(PROGRESS_CLASS));
  if (!input) return;
  const update = () => {
    let ids;
    try { ids = JSON.parse(input.value); } catch { return; }
    const all = [...new Set([...storedProgress(), ...ids])];
    store(all);
    showProgress(all);
  };
  input.on_change(input.property("value"), update);
  const stored = storedProgress();
  if (stored.length) input.value = JSON.stringify(stored);
  update();
  answersInput = [...jsdoc.all_models].find((model) => (model.css_classes || []).includes(ANSWERS_CLASS)) ?? null;
  if (!answersInput) return;
  answersInput.on_change(answersInput.property("value"), () => {
    try { keepAnswers(answersFrom(JSON.parse(answersInput.value))); } catch { /* not JSON: ignored */ }
  });
  const answers = storedAnswers();
  if (Object.values(answers).some((part) => Object.keys(part).length)) answersInput.value = JSON.stringify(answers);
}

function showCatalogueProgress() {
  document.querySelectorAll(".lessons [data-lesson]").forEach((item) => {
    const tasks = Number(item.dataset.tasks);
    const done = Math.min(storedProgress(item.dataset.lesson).length, tasks);
    if (!done) return;
    const entry = item.querySelector(".lesson-entry");
    const badge = entry.insertBefore(document.createElement("span"), entry.querySelector("p"));
    badge.className = "lesson-done";
    badge.textContent = done === tasks ? "✓ done" : `${done} of ${tasks} tasks done`;
  });
}

// The page's layout (lesson.css). From WIDE up, the article's live parts (the playground and the views, placed in the
// prose by `::: playground` and `::: view`) go into a column on the left and the prose and tasks into one on the right
// that stays in the window (the prose scrolling in its own pane, the tasks below it), the progress heading the tasks; below, the article is in its written order and the progress is a bar at the top of
// the window. Moving the placeholders keeps what BokehJS drew into them.
const WIDE = "(min-width: 1200px)";
let written = null; // the article's nodes in their written order

function arrange(wide) {
  const article = document.querySelector("article.lesson-body");
  const progress = document.querySelector(".lesson-progress");
  if (!article) return;
  written ??= [...article.childNodes];
  const tasks = article.querySelector(".lesson-tasks");
  if (wide) {
    const live = document.createElement("div");
    const side = document.createElement("div");
    const prose = document.createElement("div");
    live.className = "lesson-live";
    side.className = "lesson-side";
    prose.className = "lesson-prose";
    // The prose scrolls in its own pane above the tasks: reachable and scrollable by keyboard, named for screen readers.
    Object.assign(prose, { tabIndex: 0, role: "region" });
    prose.setAttribute("aria-label", "Lesson text");
    for (const node of written) {
      if (node.matches?.(".lesson-embed")) live.append(node);
      else if (node !== tasks) prose.append(node);
    }
    side.append(prose, ...(tasks ? [tasks] : []));
    article.replaceChildren(live, side);
    if (progress && tasks) (tasks.querySelector("h2") ?? tasks.firstChild).after(progress);
  } else {
    article.replaceChildren(...written);
    if (progress) document.querySelector("body > header")?.after(progress);
  }
  article.classList.toggle("lesson-split", wide);
}

function followLayout() {
  const query = window.matchMedia(WIDE);
  arrange(query.matches);
  query.addEventListener("change", (event) => arrange(event.matches));
}

if (slug) {
  followLayout();
  enhanceTasks(answer);
  keepAnswers(noAnswers()); // the stored answers, shown before Python has started
  showProgress(storedProgress()); // before Python has started
  document.getElementById("lesson-forget")?.addEventListener("click", forgetProgress);
  document.getElementById("lesson-download")?.addEventListener("click", downloadProgress);
} else showCatalogueProgress();
