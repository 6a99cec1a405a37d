// Predict and choice tasks on a lesson page (docs/lessons.md, "Task kinds"). The options the page lists
// (render.py: <ul class="task-options">, each option's feedback hidden, a choice's right ones data-correct) become a
// radio group with a button; the answers show as locked options, a verdict and each judged option's feedback.
// Answers are answers.py's JSON, {predicted: {task: option}, picked: {task: [options]}, outcomes: {task: [options]}};
// lesson.js keeps them in the browser and passes them between the page and Python, which judges the predictions.

const WORDS = {
  predict: { legend: "Your prediction", button: "Commit my prediction" },
  choice: { legend: "Your answer", button: "Check my answer" },
};

export const noAnswers = () => ({ predicted: {}, picked: {}, outcomes: {} });

// The answers in `value` (a parsed JSON value): the three parts, each an object of task ids (anything else dropped).
export function answersFrom(value) {
  const answers = noAnswers();
  if (!value || typeof value !== "object") return answers;
  for (const part of Object.keys(answers)) {
    const given = value[part];
    if (given && typeof given === "object" && !Array.isArray(given)) answers[part] = { ...given };
  }
  return answers;
}

// `later` added to `first` by answers.py's rules: a prediction or an outcome already there stays, picks join in order.
export function mergeAnswers(first, later) {
  const merged = noAnswers();
  for (const part of ["predicted", "outcomes"]) merged[part] = { ...later[part], ...first[part] };
  for (const id of new Set([...Object.keys(first.picked), ...Object.keys(later.picked)])) {
    const picks = [first.picked[id], later.picked[id]].flatMap((list) => (Array.isArray(list) ? list : []));
    merged.picked[id] = [...new Set(picks)];
  }
  return merged;
}

const tasksOfKind = () => document.querySelectorAll('.lesson-tasks [data-task][data-kind="predict"], '
  + '.lesson-tasks [data-task][data-kind="choice"]');

// Each predict or choice task's option list becomes a fieldset of radio buttons (labelled by the option's words) with a
// button; `answer(taskId, kind, option)` is called when the student commits or checks an option.
export function enhanceTasks(answer) {
  for (const task of tasksOfKind()) {
    const list = task.querySelector(":scope > ul.task-options");
    if (!list) continue;
    const { task: id, kind } = task.dataset;
    const words = WORDS[kind];
    const group = document.createElement("fieldset");
    group.className = "task-options";
    const question = task.querySelector(":scope > p");
    if (question) {
      question.id ||= `task-${id}-question`;
      group.setAttribute("aria-describedby", question.id);
    }
    group.append(Object.assign(document.createElement("legend"), { textContent: words.legend }));
    for (const item of list.querySelectorAll(":scope > li[data-option]")) {
      const index = item.dataset.option;
      const option = document.createElement("div");
      option.className = "task-option";
      Object.assign(option.dataset, item.dataset);
      const input = Object.assign(document.createElement("input"), {
        type: "radio", name: `task-${id}`, id: `task-${id}-option-${index}`, value: index,
      });
      const label = Object.assign(document.createElement("label"), { htmlFor: input.id });
      label.append(...(item.querySelector(".option-text")?.childNodes ?? []));
      const tag = Object.assign(document.createElement("span"), { className: "option-tag" });
      option.append(input, label, tag);
      const feedback = item.querySelector(".option-feedback");
      if (feedback) {
        feedback.id = `task-${id}-feedback-${index}`;
        option.append(feedback);
      }
      group.append(option);
    }
    const button = Object.assign(document.createElement("button"), {
      type: "button", className: "task-answer", textContent: words.button,
    });
    const verdict = Object.assign(document.createElement("p"), { className: "task-verdict", tabIndex: -1 });
    verdict.setAttribute("role", "status");
    button.addEventListener("click", () => {
      const chosen = group.querySelector("input:checked:not(:disabled)");
      if (!chosen) verdict.textContent = "Choose one of the options first.";
      else answer(id, kind, Number(chosen.value));
    });
    group.append(button, verdict);
    list.replaceWith(group);
  }
}

// The words of option `index` of `task`, quoted (without a closing full stop: the sentence around them has one).
function optionWords(task, index) {
  const words = task.querySelector(`[data-option="${index}"] label`)?.textContent.trim() ?? "";
  return `“${words.replace(/\.$/, "")}”`;
}

// Shows `answers` on every predict and choice task: a committed prediction locked and, once its run is decided, the
// verdict with every option's feedback; each picked choice with its feedback, the group locked once a right one is.
// Returns the choice tasks a right pick has done.
export function showAnswers(answers) {
  const done = [];
  for (const task of tasksOfKind()) {
    const group = task.querySelector(":scope > fieldset.task-options");
    if (!group) continue;
    const { task: id, kind } = task.dataset;
    const options = [...group.querySelectorAll(".task-option")];
    const verdict = group.querySelector(".task-verdict");
    const button = group.querySelector(".task-answer");
    const show = (option, tag, judged = "", shown = true) => {
      option.querySelector(".option-tag").textContent = tag;
      option.dataset.judged = judged;
      const feedback = option.querySelector(".option-feedback");
      feedback?.classList.toggle("shown", shown);
      if (feedback && shown) option.querySelector("input").setAttribute("aria-describedby", feedback.id);
    };
    let locked = false;
    let said = "";
    if (kind === "predict" && Number.isInteger(answers.predicted[id]) && options[answers.predicted[id]]) {
      const predicted = answers.predicted[id];
      const held = Array.isArray(answers.outcomes[id]) ? answers.outcomes[id] : null;
      locked = true;
      options[predicted].querySelector("input").checked = true;
      if (!held) {
        show(options[predicted], "your prediction", "", false);
        said = `Your prediction is in: ${optionWords(task, predicted)}. Now run it; the result shows here.`;
      } else {
        options.forEach((option, index) => show(option, [index === predicted && "your prediction",
          held.includes(index) && "what happened"].filter(Boolean).join(" · "), held.includes(index) ? "right" : ""));
        const happened = held.map((index) => optionWords(task, index)).join(" and ") || "none of these";
        said = held.includes(predicted) ? `✓ Right: you predicted ${optionWords(task, predicted)}, and it happened.`
          : `✗ Not this time: you predicted ${optionWords(task, predicted)}; what happened: ${happened}.`;
        task.dataset.verdict = held.includes(predicted) ? "right" : "wrong";
      }
    } else if (kind === "choice") {
      const picks = (answers.picked[id] ?? []).filter((index) => options[index]);
      const right = picks.find((index) => options[index].dataset.correct === "true");
      for (const index of picks) {
        const correct = options[index].dataset.correct === "true";
        show(options[index], correct ? "✓ right" : "✗ not this one", correct ? "right" : "wrong");
        options[index].querySelector("input").disabled = !correct;
      }
      locked = right !== undefined;
      if (locked) {
        options[right].querySelector("input").checked = true;
        said = `✓ Right: ${optionWords(task, right)}.`;
        done.push(id);
      } else if (picks.length) said = `✗ Not ${optionWords(task, picks.at(-1))}: read why, then try another.`;
      task.dataset.verdict = locked ? "right" : picks.length ? "wrong" : "";
    }
    for (const option of options) {
      const input = option.querySelector("input");
      if (locked) input.disabled = true;
      else if (kind === "predict") input.disabled = false;
    }
    const focused = document.activeElement === button;
    button.hidden = locked;
    if (said && verdict.textContent !== said) verdict.textContent = said;
    if (focused && locked) verdict.focus(); // the button went: keep the keyboard's place
  }
  return done;
}
