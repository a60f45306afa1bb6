"""htmx interaction scenarios, each on its own page under /s/<name>: driven both by `HtmxClient` (in-process)
and by real htmx in headless Chromium (tests/browser/test_htmxclient_diff.py), whose DOMs must match.

`SCENARIOS` lists each scenario's steps: ('get', url), ('click', sel), ('confirm', sel) (click, accept the
dialog), ('submit', form_sel, {name: value}), ('change', sel, value), ('type', sel, text) (keyup),
('reveal', sel) (scroll into view: `revealed`). Every scenario page resets its own state."""
import json
import os

from fasthtml.common import *
from fasthtml.assets import offline_assets

HTMX4 = os.environ.get('FH_HTMX') == '4'  # FH_HTMX=4: the same app on htmx 4 (the browser tests run both)

app, rt = fast_app(htmx4=HTMX4)
if os.environ.get('FASTHTML_OFFLINE'): offline_assets(app)

state = {}


def page(title, *body): return Titled(title, Div(*body, id='app'))


# 1. counter
@rt('/s/counter')
def get():
    state['n'] = 0
    return page('Counter', P('Count: ', Span('0', id='count')),
                Button('+1', id='inc', hx_post='/counter/inc', hx_target='#count', hx_swap='outerHTML'))

@rt('/counter/inc')
def post():
    state['n'] += 1
    return Span(str(state['n']), id='count')


# 2. form with errors, then 3. redirect on success
def signup_form(name='', email='', errors=None):
    errors = errors or {}
    return Form(Input(name='name', id='name', value=name), Small(errors.get('name', ''), id='name-error'),
                Input(name='email', id='email', value=email), Small(errors.get('email', ''), id='email-error'),
                Button('Sign up', id='submit'), id='signup', hx_post='/signup', hx_swap='outerHTML')

@rt('/s/form')
def get(): return page('Sign up', signup_form())  # noqa: F811

@rt('/signup')
def post(name: str = '', email: str = ''):  # noqa: F811
    errors = {}
    if not name: errors['name'] = 'Name is required'
    if '@' not in email: errors['email'] = 'Enter a valid email address'
    if errors: return signup_form(name, email, errors)
    return HtmxResponseHeaders(redirect=f'/welcome?name={name}')

@rt('/welcome')
def get(name: str): return page('Welcome', P(f'Welcome, {name}!', id='welcome'))  # noqa: F811


# 4. out-of-band updates (top-level and nested) with a list
@rt('/s/oob')
def get():  # noqa: F811
    state['items'] = []
    return page('OOB', P('Items: ', Span('0', id='n-items'), ' last: ', Span(id='last-n')), Ul(id='items'), Div(id='status'),
                Form(Input(name='item', id='item'), Button('Add', id='add'), hx_post='/oob/add', hx_target='#items',
                     hx_swap='beforeend'))

@rt('/oob/add')
def post(item: str):  # noqa: F811
    state['items'].append(item)
    return (Li(item, Span(f'#{len(state["items"])}', id='last-n', hx_swap_oob='true')),
            Span(str(len(state['items'])), id='n-items', hx_swap_oob='true'),
            Div(P(f'added {item}'), id='status', hx_swap_oob='innerHTML'))


# 5. retarget and reswap from the server
@rt('/s/retarget')
def get():  # noqa: F811
    return page('Retarget', Div('result', id='result'), Div(id='errors'),
                Button('Ok', id='ok', hx_get='/retarget/ok', hx_target='#result'),
                Button('Fail', id='fail', hx_get='/retarget/fail', hx_target='#result'))

@rt('/retarget/{how}')
def get(how: str):  # noqa: F811
    if how == 'fail': return P('it failed', cls='err'), HtmxResponseHeaders(retarget='#errors', reswap='beforeend')
    return 'all good'


# 6. delete rows (one behind a confirm dialog)
@rt('/s/rows')
def get():  # noqa: F811
    rows = [Tr(Td(f'row {i}'), Td(Button('x', id=f'del-{i}', hx_delete=f'/rows/{i}', hx_target='closest tr',
                                         hx_swap='outerHTML', **({'hx_confirm': 'Sure?'} if i == 3 else {}))))
            for i in range(1, 5)]
    return page('Rows', Table(Tbody(*rows, id='rows')))

@rt('/rows/{i}')
def delete(i: int): return ''


# 7. infinite scroll (`revealed`)
def scroll_rows(pg: int):
    rows = [Tr(Td(f'item {pg*5+i}'), style='height:300px') for i in range(5)]
    if pg < 2: rows[-1] = Tr(Td(f'item {pg*5+4}'), style='height:300px', id=f'last-{pg}',
                             hx_get=f'/scroll?pg={pg+1}', hx_trigger='revealed', hx_swap='afterend')
    return rows

@rt('/s/scroll')
def get(): return page('Scroll', Table(Tbody(*scroll_rows(0), id='feed')))  # noqa: F811

@rt('/scroll')
def get(pg: int): return scroll_rows(pg)  # noqa: F811


# 8. toasts: out-of-band into a container, plus a server event that a listener reloads on
@rt('/s/toasts')
def get():  # noqa: F811
    state['saves'] = 0
    return page('Toasts', Div(id='toasts'), Div('never', id='saved-at', hx_get='/toasts/saved',
                                                 hx_trigger='saved from:body'),
                Button('Save', id='save', hx_post='/toasts/save', hx_swap='none'))

@rt('/toasts/save')
def post():  # noqa: F811
    state['saves'] += 1
    return (Div(Div(f'Saved {state["saves"]}', cls='toast'), hx_swap_oob='beforeend:#toasts'),
            HtmxResponseHeaders(trigger='saved'))

@rt('/toasts/saved')
def get(): return f'saved {state["saves"]} times'  # noqa: F811


# 9. hx-select from a full page, title taken, URL pushed
@rt('/s/select')
def get():  # noqa: F811
    return page('Select', Div(P('first'), id='content'),
                A('Next', id='next', href='#', hx_get='/select/next', hx_select='#content', hx_target='#content',
                  hx_swap='outerHTML', hx_push_url='true'))

@rt('/select/next')
def get(): return Title('Second page'), Div(P('header', id='hdr'), Div(P('second'), id='content'))  # noqa: F811


# 10. active search (keyup, hx-include, hx-vals)
FRUITS = ['apple', 'apricot', 'banana', 'blueberry', 'cherry']

@rt('/s/search')
def get():  # noqa: F811
    return page('Search', Input(type='search', name='q', id='q', hx_get='/search', hx_target='#results',
                                hx_trigger='keyup changed delay:100ms', hx_include='#limit', hx_vals='{"src": "box"}'),
                Select(Option('2', value='2'), Option('10', value='10', selected=True), name='limit', id='limit'),
                Ul(id='results'))

@rt('/search')
def get(q: str = '', limit: int = 10, src: str = ''):  # noqa: F811
    found = [f for f in FRUITS if q and f.startswith(q)][:limit]
    return *[Li(f) for f in found], Li(f'via {src}', id='src')


# 11. HX-Location, a `load` trigger and the swap modes
@rt('/s/swaps')
def get():  # noqa: F811
    return page('Swaps', Div(Span('box', id='inner'), id='box'),
                Div('lazy...', id='lazy', hx_get='/swaps/lazy', hx_trigger='load'),
                *[Button(m, id=f'b-{m}', hx_get=f'/swaps/frag?m={m}', hx_target='#box', hx_swap=m)
                  for m in ('afterbegin', 'beforeend', 'beforebegin', 'afterend', 'innerHTML', 'none')],
                Button('go', id='loc', hx_post='/swaps/loc'),
                Button('del', id='del', hx_get='/swaps/frag?m=delete', hx_target='#inner', hx_swap='delete'))

@rt('/swaps/frag')
def get(m: str): return B(m, cls='frag')  # noqa: F811

@rt('/swaps/lazy')
def get(): return 'loaded'  # noqa: F811

@rt('/swaps/loc')
def post():  # noqa: F811
    return HtmxResponseHeaders(location=json.dumps({'path': '/swaps/frag?m=located', 'target': '#box'}))


# 12. a checkbox and radio form posting with the clicked button's name
@rt('/s/choices')
def get():  # noqa: F811
    return page('Choices', Form(Input(type='checkbox', id='agree', name='agree', value='yes'),
                                Input(type='radio', name='size', value='s', id='s'),
                                Input(type='radio', name='size', value='l', id='l', checked=True),
                                Textarea('note', name='note', id='note'),
                                Button('A', name='act', value='a', id='act-a'),
                                Button('B', name='act', value='b', id='act-b'),
                                hx_post='/choices', hx_target='#echo'), Pre(id='echo'))

@rt('/choices')
async def post(req):  # noqa: F811
    form = await req.form()
    return json.dumps(sorted(form.multi_items()))


@rt('/')
def get(): return page('htmx scenarios', Ul(*[Li(A(n, href=v[0][1])) for n, v in SCENARIOS.items()]))  # noqa: F811


SCENARIOS = {
    'counter': [('get', '/s/counter'), ('click', '#inc'), ('click', '#inc'), ('click', '#inc')],
    'form_errors': [('get', '/s/form'), ('submit', '#signup', {'email': 'nope'}),
                    ('submit', '#signup', {'name': 'Ada', 'email': 'x'})],
    'redirect': [('get', '/s/form'), ('submit', '#signup', {'name': 'Ada', 'email': 'ada@example.com'})],
    'oob': [('get', '/s/oob'), ('submit', 'form', {'item': 'tea'}), ('submit', 'form', {'item': 'milk'})],
    'retarget': [('get', '/s/retarget'), ('click', '#ok'), ('click', '#fail'), ('click', '#fail')],
    'delete_rows': [('get', '/s/rows'), ('click', '#del-2'), ('confirm', '#del-3'), ('click', '#del-1')],
    'infinite_scroll': [('get', '/s/scroll'), ('reveal', '#last-0'), ('reveal', '#last-1')],
    'toasts': [('get', '/s/toasts'), ('click', '#save'), ('click', '#save')],
    'select_title': [('get', '/s/select'), ('click', '#next')],
    'search': [('get', '/s/search'), ('type', '#q', 'ap'), ('change', '#limit', '2'), ('type', '#q', 'b')],
    'swaps': [('get', '/s/swaps'), *[('click', f'#b-{m}') for m in
              ('afterbegin', 'beforeend', 'beforebegin', 'afterend', 'none')], ('click', '#del'),
              ('click', '#b-innerHTML'), ('click', '#loc')],
    'choices': [('get', '/s/choices'), ('click', '#act-b'), ('click', '#agree'), ('click', '#s'),
                ('click', '#act-a')],
}

serve()
