"htmx 2 request headers read on the server, and response headers htmx 4 dropped"
from fasthtml.common import *

app, rt = fast_app()

@rt('/')
def get(): return Titled('Headers', Button('save', id='save', hx_post='/save'))

@rt('/save')
def post(req, htmx: HtmxHeaders):
    who = req.headers.get('HX-Trigger') or htmx.trigger_name
    if 'hx-trigger' in req.headers: who = req.headers['HX-Trigger']
    return HtmxResponseHeaders(trigger_after_swap='saved'), P(who, htmx.trigger)
