"The walkthrough todo app (`examples/todos.py`) in Chromium under htmx 2 and 4: log in, add, toggle, edit, delete; state survives a reload."
from __future__ import annotations

from playwright.sync_api import expect

import pytest

pytestmark = pytest.mark.browser


def test_todo_add_toggle_edit_delete(serve_example, page, shot, tmp_path, monkeypatch, htmx_version):
    monkeypatch.setenv('DATABASE_URL', str(tmp_path/'data'/'todos.db'))
    srv = serve_example('todos', htmx=htmx_version)
    page.goto(srv.url + '/')
    expect(page).to_have_url(srv.url + '/login')
    page.fill('#name', 'ada')
    page.fill('#pwd', 'secret')
    page.click('button:has-text("login")')
    expect(page.locator('h1')).to_have_text("ada's Todo list")
    assert page.evaluate('htmx.version').split('.')[0] == str(htmx_version)
    page.evaluate('window.__marker = 1')  # survives only while no full reload happens

    for title in ('Buy milk', 'Write <tests>'):  # add: the new item is swapped in, the input is reset (oob)
        page.fill('#new-title', title)
        page.click('#add')
        expect(page.locator('#todo-list li').first).to_contain_text(title)
        expect(page.locator('#new-title')).to_have_value('')
    expect(page.locator('#todo-list li')).to_have_count(2)

    page.click('#todo-1 .toggle')  # toggle
    expect(page.locator('#todo-1')).to_contain_text('✅')
    page.click('#todo-1 .toggle')
    expect(page.locator('#todo-1')).not_to_contain_text('✅')

    page.click('#todo-2 >> text=edit')  # edit: a filled form appears, saving replaces the item
    expect(page.locator('#edit #title')).to_have_value('Write <tests>')
    page.fill('#edit #title', 'Write more tests')
    page.check('#edit #done')
    page.click('#save')
    expect(page.locator('#todo-2')).to_contain_text('Write more tests')
    expect(page.locator('#todo-2')).to_contain_text('✅')
    expect(page.locator('#edit')).to_have_count(0)  # the details pane was cleared (oob)

    page.click('#todo-1 >> text=Buy milk')  # delete from the details pane
    page.click('#delete')
    expect(page.locator('#todo-1')).to_have_count(0)
    assert page.evaluate('window.__marker') == 1  # every step was a fragment swap
    shot(page, f'todos_htmx{htmx_version}')

    page.reload()  # persisted
    expect(page.locator('#todo-list li')).to_have_count(1)
    expect(page.locator('#todo-2')).to_contain_text('Write more tests')
