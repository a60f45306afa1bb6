"""fh_check on seeded-fault apps (tests/check_apps): each fault found with its file and line; no false alarm on the
clean app and the examples."""
import subprocess
import sys
from pathlib import Path

import pytest

from fasthtml.check import fh_check, main

ROOT = Path(__file__).resolve().parents[1]
APPS = ROOT/'tests'/'check_apps'


def found(name, **params):
    return [(Path(f.file).name if f.file else None, f.line, f.page, f.message) for f in fh_check(APPS/name, params)]


def test_routes_and_verbs():
    assert found('bad_routes.py') == [
        ('bad_routes.py', 7, '/', '<button hx-post="/save">: /save has no POST handler (it has GET)'),
        ('bad_routes.py', 8, '/', '<button hx-delete="/items/gone/remove">: no route matches /items/gone/remove'),
        ('bad_routes.py', 9, '/', '<a href="/about-us">: no route matches /about-us'),
        ('bad_routes.py', 10, '/', '<form action="/find">: no route matches /find')]


def test_selectors():
    assert [(ln, m) for _, ln, _, m in found('bad_selectors.py')] == [
        (7, '<button hx-target="closest table">: \'closest table\' matches nothing on the page'),
        (8, '<button hx-include="#filters">: \'#filters\' matches nothing on the page'),
        (9, '<button hx-indicator="#spin">: \'#spin\' matches nothing on the page')]


def test_form_fields_fill_the_handler():
    msg = '<form hx-post="/signup">: the form has no field for the handler\'s required name (post)'
    assert found('bad_form.py') == [('bad_form.py', 7, '/', msg)]


def test_duplicate_ids_and_params():
    assert [(p, m) for _, _, p, m in found('dup_ids.py')] == [('/', "duplicate id 'msg' (<p> and <p>)")]
    assert [(p, m) for _, _, p, m in found('dup_ids.py', uid='1')][1:] == [('/user/1', "duplicate id 'u' (<span> and <span>)")]


@pytest.mark.parametrize('path', [APPS/'clean_app.py', *(ROOT/'examples'/f'{n}.py' for n in
                                   ('counter', 'form_validate', 'htmx_scenarios', 'todos', 'toasts_redirect'))])
def test_no_false_alarm(path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # apps that create a database do it here
    assert fh_check(path, {'uid': '3'}) == []


def test_exit_codes(capsys):
    assert main([str(APPS/'clean_app.py')]) == 0
    assert main([str(APPS/'bad_form.py')]) == 1
    assert 'bad_form.py:7: [GET /]' in capsys.readouterr().out
    assert main([str(APPS/'broken_import.py')]) == 2
    assert 'did not import: RuntimeError: the database is not configured' in capsys.readouterr().err
    assert main([str(APPS/'nope.py')]) == 2


def test_command_line():
    r = subprocess.run([sys.executable, '-m', 'fasthtml.check', str(APPS/'dup_ids.py'), '--param', 'uid=1'],
                       capture_output=True, text=True, cwd=ROOT, check=False)
    assert r.returncode == 1 and r.stdout.count('duplicate id') == 2
