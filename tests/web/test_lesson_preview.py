"""The lesson preview (`nn-playground lesson serve`): a save rewrites only what depends on the lesson, a lesson that
fails the check keeps its last good page and says FILE:LINE, lesson files come and go; the server hands each page its
token, the problems and a service worker that removes itself. The site here is the lessons' part of one (a full build
is the browser test's, tests/browser/test_lesson_preview_on_site.py)."""

import json
import shutil
import threading
import urllib.request
import zipfile
from hashlib import sha256
from pathlib import Path

import pytest

from web.lesson_pages import catalogue, lesson_pages, write_pages
from web.lesson_preview import LessonFolder, PreviewSite
from web.pages import home_page
from web.preview_server import RELOAD_SCRIPT, STATE, make_preview_server
from web.site import stamp_build

LESSONS = Path(__file__).parents[2] / "lessons"
ONE, TWO = "01-one-neuron", "02-xor-needs-a-hidden-layer"


@pytest.fixture
def preview(tmp_path):
    """A PreviewSite over a folder with lessons 1 and 2, its pages written as the first build leaves them."""
    folder, out = tmp_path / "lessons", tmp_path / "site"
    folder.mkdir()
    for name in (ONE, TWO):
        shutil.copyfile(LESSONS / f"{name}.md", folder / f"{name}.md")
    (out / "pyodide").mkdir(parents=True)
    lock = {"packages": {"nn-playground": {"file_name": "nn_playground.whl", "sha256": "0"}}}
    (out / "pyodide" / "pyodide-lock.json").write_text(json.dumps(lock))
    lessons = LessonFolder(folder)
    lessons.refresh()
    write_pages(out, lesson_pages(lessons.lessons()), "pyodide/")  # as the first build leaves them
    (out / "index.html").write_text(home_page([], catalogue(lesson_pages(lessons.lessons()))))
    stamp_build(out, "0123456789abcdef")
    return PreviewSite(out, lessons, [], "pyodide/")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def page(site: PreviewSite, slug: str) -> str:
    return (site.out / f"lesson-{slug}.html").read_text()


def test_a_sentence_rewrites_that_page_only_and_changes_only_its_token(preview):
    tokens = preview.tokens()
    edit(preview.folder.folder / f"{ONE}.md", "A neuron computes", "A single neuron computes")
    done = preview.update()
    assert done.written == [f"lesson-{ONE}.html"] and done.live == [] and done.seconds < 2
    assert "A single neuron computes" in page(preview, ONE)
    assert 'content="0123456789abcdef"' in page(preview, ONE)  # the build's hash: no "new version" offered
    changed = {name for name, token in preview.tokens().items() if tokens[name] != token}
    assert changed == {f"lesson-{ONE}.html"}
    assert preview.update().written == []  # nothing changed since


def test_a_title_rewrites_the_catalogue_and_the_neighbours_link(preview):
    edit(preview.folder.folder / f"{ONE}.md", "title: One neuron draws a straight line", "title: A lone neuron")
    done = preview.update()
    assert set(done.written) >= {f"lesson-{ONE}.html", f"lesson-{TWO}.html", "index.html"}
    assert ">A lone neuron</a>" in (preview.out / "index.html").read_text()
    assert "← A lone neuron" in page(preview, TWO)


def test_a_broken_lesson_keeps_its_last_good_page_and_says_file_and_line_until_fixed(preview):
    path = preview.folder.folder / f"{ONE}.md"
    good = path.read_text()
    before = page(preview, ONE)
    edit(path, "level: beginner", "level: expert")
    edit(path, "A neuron computes", "A broken neuron computes")
    assert preview.update().written == [] and preview.problems() == []  # said once the next look finds it so
    assert preview.update().written == []
    assert page(preview, ONE) == before and f"lesson-{ONE}.html" in preview.tokens()
    (problem,) = preview.problems()
    assert problem.startswith(f"{path}:4: level: expected one of beginner")
    path.write_text(good.replace("A neuron computes", "A fixed neuron computes"))
    preview.update()
    assert preview.problems() == [] and "A fixed neuron computes" in page(preview, ONE)


def test_a_file_caught_half_written_shows_no_problem_and_its_finished_save_is_taken(preview):
    # An editor that empties the file and then writes it (Python's write_text does) can be looked at in between.
    path = preview.folder.folder / f"{ONE}.md"
    good = path.read_text()
    path.write_text(good[:40])  # truncated inside the header
    assert preview.update().written == [] and preview.problems() == []
    path.write_text(good.replace("A neuron computes", "A finished neuron computes"))
    assert preview.update().written and preview.problems() == []
    assert "A finished neuron computes" in page(preview, ONE)
    path.write_text(good.replace("level: beginner", "level: expert"))  # a real mistake is said on the next look
    preview.update()
    preview.update()
    assert len(preview.problems()) == 1
    path.write_text(good[:40])  # half-written again: the problem said stays until this version is confirmed
    preview.update()
    assert "level: expected one of" in preview.problems()[0]


def test_a_new_lesson_gets_a_page_a_catalogue_entry_and_the_wheel_and_a_deleted_one_goes(preview):
    folder = preview.folder.folder
    new = folder / "03-activation-functions.md"
    shutil.copyfile(LESSONS / new.name, new)
    done = preview.update()
    assert done.live == ["lesson-03-activation-functions"] and "lesson-03-activation-functions.html" in done.written
    assert 'href="lesson-03-activation-functions.html"' in (preview.out / "index.html").read_text()
    wheel = next((preview.out / "pyodide").glob("nn_playground-*.whl"))
    lock = json.loads((preview.out / "pyodide" / "pyodide-lock.json").read_text())
    assert lock["packages"]["nn-playground"]["sha256"] == sha256(wheel.read_bytes()).hexdigest()
    assert "def lesson_03_activation_functions" in zipfile.ZipFile(wheel).read("site_lessons.py").decode()
    assert preview.pending_previews()  # its first look is built in the background (build_previews)
    new.unlink()
    done = preview.update()
    assert "lesson-03-activation-functions.html" in done.removed
    assert not (preview.out / "lesson-03-activation-functions.html").exists()
    assert "activation-functions" not in (preview.out / "index.html").read_text()
    assert "lesson-03-activation-functions.html" not in preview.tokens() and not preview.pending_previews()


def test_a_header_change_replaces_the_first_look_in_the_background(preview):
    (preview.out / f"lesson-{ONE}.preview.json").write_text("{}")  # as the build left it
    (preview.out / f"lesson-{ONE}.preview.json.gz").write_bytes(b"")
    edit(preview.folder.folder / f"{ONE}.md", "learning_rate: 0.03", "learning_rate: 0.1")
    done = preview.update()
    assert done.live == [f"lesson-{ONE}"] and not (preview.out / f"lesson-{ONE}.preview.json.gz").exists()
    assert preview.build_previews() == [f"lesson-{ONE}"]  # in a fresh process, as the build does: a few seconds
    document = json.loads((preview.out / f"lesson-{ONE}.preview.json").read_text())
    assert "0.1" in json.dumps(document) and (preview.out / f"lesson-{ONE}.preview.json.gz").is_file()


@pytest.fixture
def server(preview):
    httpd = make_preview_server(preview, port=0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def get(url, headers=()):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=dict(headers))) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, b""


def test_the_server_gives_pages_their_token_and_tells_the_state(server, preview):
    _, headers, body = get(f"{server}/lesson-{ONE}.html")
    token = preview.tokens()[f"lesson-{ONE}.html"]
    assert (
        f'<script src="{RELOAD_SCRIPT}" data-page="lesson-{ONE}.html" data-token="{token}"></script>' in body.decode()
    )
    assert headers["Cache-Control"] == "no-cache"
    _, _, body = get(f"{server}/")
    assert 'data-page="index.html"' in body.decode()
    (preview.folder.folder / f"{TWO}.md").write_text("---\ntitle: [\n---\n")
    preview.update()
    preview.update()  # a failing save is said on the second look
    state = json.loads(get(server + STATE)[2])
    assert state["pages"][f"lesson-{ONE}.html"] == token and state["problems"][0].startswith(str(preview.folder.folder))
    assert b"unregister()" in get(f"{server}/sw.js")[2] and b"location.reload" in get(server + RELOAD_SCRIPT)[2]


def test_a_file_rewritten_within_the_second_is_not_answered_not_modified(server, preview):
    _, headers, _ = get(f"{server}/version.json")
    assert get(f"{server}/version.json", {"If-None-Match": headers["ETag"]})[0] == 304
    (preview.out / "version.json").write_text(json.dumps({"build": "fedcba9876543210"}))
    status, _, body = get(f"{server}/version.json", {"If-None-Match": headers["ETag"]})
    assert status == 200 and b"fedcba" in body


def test_serve_without_the_folder_says_so(tmp_path, capsys):
    from playground.cli import main

    assert main(["lesson", "serve", str(tmp_path / "missing")]) == 1
    assert "no lessons folder" in capsys.readouterr().err
