"""`fasthtml.cli`: the Railway scripts run against a fake `railway` on PATH that records its arguments."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

FAKE = textwrap.dedent('''\
    #!{py}
    import json, os, sys
    a = sys.argv[1:]
    with open(os.environ['RW_LOG'], 'a') as f: f.write(json.dumps(a) + '\\n')
    fail = os.environ.get('RW_FAIL', '')
    if fail and a[:1] == [fail]: print('boom from railway', file=sys.stderr); sys.exit(3)
    if a == ['--version']: print(os.environ.get('RW_VERSION', 'railway 3.17.1'))
    elif a[:1] == ['status']:
        if os.environ.get('RW_UNLINKED') and not os.path.exists('linked'):
            print('No linked project found. Run railway link', file=sys.stderr); sys.exit(1)
        env = dict(id='env-1', name='production', serviceInstances=dict(edges=[dict(node=dict(serviceId='svc-1'))]))
        print(json.dumps(dict(id='proj-1', name=os.environ.get('RW_NAME', 'other'), environments=dict(edges=[dict(node=env)]))))
    elif a[:1] == ['init']: open('linked', 'w').close()
    elif a[:1] == ['domain']: print('https://myapp.up.railway.app')
''')


@pytest.fixture
def rw(tmp_path):
    "Run a script in a project folder with the fake railway first on PATH; returns (run, log reader)"
    bindir, proj, logf = tmp_path / 'bin', tmp_path / 'proj', tmp_path / 'railway.log'
    bindir.mkdir(); proj.mkdir()
    fake = bindir / 'railway'
    fake.write_text(FAKE.format(py=sys.executable)); fake.chmod(0o755)
    def run(script, *args, path=None, **env):
        entry = tmp_path / f'fh_{script}'  # the shape of the console script pip generates
        entry.write_text(f"import sys\nfrom fasthtml.cli import {script}\nif __name__ == '__main__': sys.exit({script}())\n")
        e = dict(os.environ, PATH=path if path is not None else f'{bindir}{os.pathsep}{os.environ["PATH"]}', RW_LOG=str(logf), **env)
        return subprocess.run([sys.executable, str(entry), *args], cwd=proj, env=e, capture_output=True, text=True,
                              timeout=60, check=False)
    def calls(): return [json.loads(line) for line in logf.read_text().splitlines()] if logf.exists() else []
    return run, calls, proj


LINK = ['link', '-e', 'env-1', '-p', 'proj-1', '-s', 'svc-1']


def test_link(rw):
    run, calls, _ = rw
    r = run('railway_link')
    assert r.returncode == 0, r.stderr
    assert calls() == [['status', '--json'], LINK]


def test_link_unlinked(rw):
    run, _calls, _ = rw
    r = run('railway_link', RW_UNLINKED='1')
    assert r.returncode == 1 and 'not linked to a Railway project' in r.stderr and 'Traceback' not in r.stderr


def test_deploy_new_project(rw):
    run, calls, proj = rw
    r = run('railway_deploy', 'myapp', RW_UNLINKED='1')
    assert r.returncode == 0, r.stderr
    assert calls() == [['--version'], ['status', '--json'], ['init', '-n', 'myapp'], ['up', '-c'], ['domain'],
                       ['status', '--json'], LINK, ['volume', 'add', '-m', '/app/data'], ['up', '-c']]
    assert '# railway init -n myapp' in r.stdout and 'https://myapp.up.railway.app' in r.stdout
    assert (proj / 'requirements.txt').read_text() == 'python-fasthtml'


def test_deploy_no_mount_keeps_requirements(rw):
    run, calls, proj = rw
    (proj / 'requirements.txt').write_text('python-fasthtml\nhttpx\n')
    r = run('railway_deploy', 'myapp', '--mount', 'False')
    assert r.returncode == 0, r.stderr
    assert calls()[2:] == [['init', '-n', 'myapp'], ['up', '-c'], ['domain'], ['status', '--json'], LINK]
    assert (proj / 'requirements.txt').read_text() == 'python-fasthtml\nhttpx\n'


def test_deploy_already_deployed(rw):
    run, calls, _ = rw
    r = run('railway_deploy', 'myapp', RW_NAME='myapp')
    assert r.returncode == 0 and 'already deployed' in r.stdout
    assert calls() == [['--version'], ['status', '--json']]


def test_deploy_failing_command(rw):
    run, calls, _ = rw
    r = run('railway_deploy', 'myapp', RW_FAIL='up')
    assert r.returncode == 1 and '`railway up -c` failed (exit status 3)' in r.stderr and 'Traceback' not in r.stderr
    assert calls()[-1] == ['up', '-c']


def test_deploy_bad_version(rw):
    run, _calls, _ = rw
    r = run('railway_deploy', 'myapp', RW_VERSION='something else')
    assert r.returncode == 1 and 'Unexpected railway version' in r.stderr


@pytest.mark.parametrize('script,args', [('railway_link', ()), ('railway_deploy', ('myapp',))])
def test_missing_railway(rw, tmp_path, script, args):
    run, calls, _ = rw
    empty = tmp_path / 'empty'; empty.mkdir()
    r = run(script, *args, path=str(empty))
    assert r.returncode == 1 and 'The `railway` command was not found' in r.stderr and 'Traceback' not in r.stderr
    assert calls() == []


def test_deploy_needs_name(rw):
    run, calls, _ = rw
    r = run('railway_deploy')
    assert r.returncode != 0 and 'name' in r.stderr and calls() == []
