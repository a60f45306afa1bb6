"""A small FastHTML app: a page of components, an htmx counter and an htmx form that adds to a list.

    bash dev demo          (or: python examples/demo.py) then open http://localhost:5001
"""
from dataclasses import dataclass

from fasthtml.common import *
from fasthtml.pico import Card, Group

app, rt = fast_app(hdrs=(Style('.done {text-decoration: line-through}'),))
setup_toasts(app, duration=3000)


@dataclass
class Idea:
    "A note typed into the form"
    text: str
    done: bool = False


ideas: list[Idea] = [Idea('Write a handler'), Idea('Return FT components', done=True)]


def idea_item(i: int, idea: Idea):
    "One list item; clicking it toggles `done` through htmx"
    return Li(idea.text, id=f'idea-{i}', cls='done' if idea.done else None, hx_post=f'/ideas/{i}/toggle',
              hx_swap='outerHTML', style='cursor: pointer')


def idea_list():
    return Ul(*[idea_item(i, o) for i, o in enumerate(ideas)], id='ideas')


@rt('/')
def index(session):
    count = session.get('count', 0)
    return Titled('FastHTML demo',
        P('Everything below is Python: components rendered to HTML, with htmx swapping fragments in place.'),
        Card(H3('Counter'),
             P(Strong(str(count), id='count'), ' clicks so far'),
             Button('Click me', hx_post='/count', hx_target='#count', hx_swap='innerHTML')),
        Card(H3('Ideas'),
             Form(Group(Input(name='text', placeholder='A new idea', required=True), Button('Add')),
                  hx_post='/ideas', hx_target='#ideas', hx_swap='outerHTML', hx_on__after_request='this.reset()'),
             idea_list(),
             footer=Small('Click an idea to mark it done.')))


@app.post('/count')
def count(session):
    session['count'] = session.get('count', 0) + 1
    return str(session['count'])


@app.post('/ideas')
def add_idea(idea: Idea, session):
    if not idea.text.strip():
        add_toast(session, 'An idea needs some text', 'warning')
        return idea_list()
    ideas.append(Idea(idea.text.strip()))
    add_toast(session, f'Added "{idea.text.strip()}"', 'success')
    return idea_list()


@app.post('/ideas/{i}/toggle')
def toggle(i: int):
    if not 0 <= i < len(ideas): return Response(f'No idea number {i}', status_code=404)
    ideas[i].done = not ideas[i].done
    return idea_item(i, ideas[i])


if __name__ == '__main__': serve(port=5001)
