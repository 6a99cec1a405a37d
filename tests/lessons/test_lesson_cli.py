"""`nn-playground lesson check` and `lesson new`."""

from playground.cli import main


def test_new_writes_a_starter_that_passes_check_and_verify(tmp_path, capsys):
    assert main(["lesson", "new", str(tmp_path / "my-lesson")]) == 0
    path = tmp_path / "my-lesson.md"
    assert "title: My lesson" in path.read_text()
    assert main(["lesson", "check", "--verify", str(path)]) == 0
    assert f"{path}: verified (epoch 100" in capsys.readouterr().out


def test_new_never_overwrites(tmp_path, capsys):
    (tmp_path / "taken.md").write_text("mine")
    assert main(["lesson", "new", str(tmp_path / "taken")]) == 1
    assert "already exists" in capsys.readouterr().err and (tmp_path / "taken.md").read_text() == "mine"


def test_check_reports_every_problem_and_exits_1(tmp_path, capsys):
    main(["lesson", "new", str(tmp_path / "good")])
    bad = tmp_path / "bad.md"
    bad.write_text(
        (tmp_path / "good.md").read_text().replace("seed: 1", "seed: -1").replace("level: beginner", "level: 9")
    )
    assert main(["lesson", "check", str(tmp_path / "good.md"), str(bad)]) == 1
    out, err = capsys.readouterr()
    assert f"{tmp_path / 'good.md'}: ok" in out
    assert f"{bad}:5: level: expected one of beginner" in err and f"{bad}:14: setup.seed: must be at least 0" in err


def test_verify_says_which_task_the_solution_misses_or_the_start_already_passes(tmp_path, capsys):
    main(["lesson", "new", str(tmp_path / "weak")])
    path = tmp_path / "weak.md"
    path.write_text(
        path.read_text().replace("hidden_layers: [4]}", "hidden_layers: [2]}").replace("epochs: 100", "epochs: 2")
    )
    assert main(["lesson", "check", "--verify", str(path)]) == 1
    assert "task 'bend-the-boundary' is not passed by the solution" in capsys.readouterr().err
    path.write_text(path.read_text().replace(">= 3", ">= 1").replace("test_accuracy >= 0.9", "epoch >= 1"))
    assert main(["lesson", "check", "--verify", str(path)]) == 1
    assert "already passes with the starting setup" in capsys.readouterr().err
